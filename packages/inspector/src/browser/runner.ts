import type {
  ExecutionResult,
  LogEntry,
  PendingCallback,
  ProgressEvent,
} from '@agent-tool-protocol/protocol';
import type { InspectorAPI, StreamListeners } from './api.js';
import { renderCallback } from './callbacks.js';
import { byId, clearNotice, errorMessage, h, json, notify } from './dom.js';

function pendingOf(result: ExecutionResult): PendingCallback[] {
  if (result.needsCallbacks?.length) return result.needsCallbacks;
  return result.needsCallback ? [{ id: '', ...result.needsCallback }] : [];
}

/** Runs the editor's code as this client, streams its output, and lets the person answer its callbacks. */
export class Runner {
  private executionId: string | undefined;
  private busy = false;

  constructor(
    private readonly api: InspectorAPI,
    private readonly code: () => string,
    private readonly onSettled: () => void,
  ) {}

  bind(): void {
    byId('run').addEventListener('click', () => void this.run());
    byId('cancel').addEventListener('click', () => void this.cancel());
  }

  private listeners(): StreamListeners {
    return {
      onProgress: (event: ProgressEvent) => {
        this.executionId ??= event.executionId;
        byId<HTMLButtonElement>('cancel').disabled = false;
        const bar = byId<HTMLProgressElement>('progress-bar');
        if (event.fraction === undefined) bar.removeAttribute('value');
        else bar.value = event.fraction;
        byId('progress-message').textContent = event.message;
        byId('progress').hidden = false;
      },
      onLog: (entry: LogEntry) => this.appendLog(entry),
    };
  }

  private appendLog(entry: LogEntry): void {
    byId('logs').append(
      h(
        'li',
        { class: `log log-${entry.level}` },
        h('span', { class: 'level' }, entry.level),
        ` ${entry.message}`,
        entry.data === undefined ? null : h('code', {}, ` ${json(entry.data)}`),
      ),
    );
  }

  async run(): Promise<void> {
    if (this.busy) return;
    this.executionId = undefined;
    byId('logs').replaceChildren();
    byId('result').textContent = '';
    byId('callbacks').replaceChildren();
    byId('progress').hidden = true;
    await this.leg(() => this.api.execute(this.code(), this.listeners()));
  }

  private async answer(callback: PendingCallback, result: unknown): Promise<void> {
    const executionId = this.executionId;
    if (!executionId || this.busy) return;
    await this.leg(() => this.api.resume(executionId, [{ id: callback.id, result }], this.listeners()));
  }

  async cancel(): Promise<void> {
    const executionId = this.executionId;
    if (!executionId) return;
    try {
      await this.api.cancel(executionId);
      this.setStatus('cancelled');
      byId('callbacks').replaceChildren();
      byId<HTMLButtonElement>('cancel').disabled = true;
    } catch (error) {
      notify(`Could not cancel: ${errorMessage(error)}`);
    }
    this.onSettled();
  }

  /** One execute or resume call: streams while it runs, then shows the result or the pending callbacks. */
  private async leg(call: () => Promise<ExecutionResult>): Promise<void> {
    this.busy = true;
    clearNotice();
    byId<HTMLButtonElement>('run').disabled = true;
    byId('callbacks').replaceChildren();
    this.setStatus('running');
    try {
      this.show(await call());
    } catch (error) {
      this.setStatus('error');
      byId('result').textContent = errorMessage(error);
      notify(`The execution failed: ${errorMessage(error)}`);
    } finally {
      this.busy = false;
      byId<HTMLButtonElement>('run').disabled = false;
      this.onSettled();
    }
  }

  private show(result: ExecutionResult): void {
    this.executionId = result.executionId;
    const stats = result.stats;
    this.setStatus(
      result.status,
      `${stats.duration.toFixed(1)} ms · ${stats.toolCallsCount ?? 0} tool calls · ${stats.llmCallsCount} LLM calls`,
    );
    const paused = result.status === 'paused';
    byId<HTMLButtonElement>('cancel').disabled = !paused;
    if (paused) {
      byId('result').textContent = '';
      const pending = pendingOf(result);
      byId('callbacks').replaceChildren(
        h('h3', {}, `Waiting for ${pending.length} callback${pending.length === 1 ? '' : 's'}`),
        ...pending.map((callback) =>
          renderCallback(
            callback,
            (answer) => void this.answer(callback, answer),
            (error) => notify(errorMessage(error)),
          ),
        ),
      );
      return;
    }
    byId('result').textContent = result.error ? json(result.error) : json(result.result);
  }

  private setStatus(status: string, detail = ''): void {
    const element = byId('run-status');
    element.textContent = detail ? `${status} · ${detail}` : status;
    element.dataset.status = status;
  }
}
