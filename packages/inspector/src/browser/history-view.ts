import type { ExecutionSummary, ExecutionTrail } from '@agent-tool-protocol/protocol';
import type { InspectorAPI } from './api.js';
import { byId, errorMessage, h, notify } from './dom.js';

const time = (epochMs: number) => new Date(epochMs).toLocaleTimeString();

/** One line of JSON with fractional numbers (durations) cut to 0.01. */
const compact = (fields: Record<string, unknown>) =>
  JSON.stringify(fields, (_key, value: unknown) =>
    typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 100) / 100 : value,
  ).replace(/,"/g, ', "');

/** The recent executions of this client and the audit trail of the one picked. */
export class HistoryView {
  constructor(private readonly api: InspectorAPI) {}

  bind(): void {
    byId('refresh-history').addEventListener('click', () => void this.refresh());
  }

  async refresh(): Promise<void> {
    if (!this.api.clientId) return;
    try {
      const executions = await this.api.executions();
      const body = byId('history-rows');
      body.replaceChildren(...executions.map((execution) => this.row(execution)));
      if (executions.length === 0)
        body.append(h('tr', {}, h('td', { colspan: '8', class: 'empty' }, 'No executions yet.')));
    } catch (error) {
      notify(`Could not list executions: ${errorMessage(error)}`);
    }
  }

  private row(execution: ExecutionSummary): HTMLElement {
    const tokens =
      execution.inputTokens || execution.outputTokens
        ? `${execution.inputTokens ?? 0} / ${execution.outputTokens ?? 0}`
        : '–';
    const row = h(
      'tr',
      { 'data-execution-id': execution.executionId, class: `status-${execution.status}` },
      h('td', {}, h('code', {}, execution.executionId.slice(0, 8))),
      h('td', { class: 'status' }, execution.status),
      h('td', {}, time(execution.startedAt)),
      h('td', {}, execution.durationMs === undefined ? '–' : `${execution.durationMs.toFixed(1)} ms`),
      h('td', { class: 'tool-calls' }, String(execution.toolCalls)),
      h('td', { class: 'llm-calls' }, String(execution.llmCalls)),
      h('td', {}, `${execution.approvals} / ${execution.pauses}`),
      h('td', {}, tokens),
    );
    row.addEventListener('click', () => void this.showTrail(execution.executionId));
    return row;
  }

  async showTrail(executionId: string): Promise<void> {
    try {
      this.renderTrail(await this.api.execution(executionId));
    } catch (error) {
      notify(`Could not load the trail of ${executionId}: ${errorMessage(error)}`);
    }
  }

  /** Paused executions started elsewhere (another tab, the agent) can be cancelled from here. */
  private cancelButton(executionId: string): HTMLElement {
    const button = h('button', { type: 'button', id: 'cancel-listed' }, 'Cancel this paused execution');
    button.addEventListener('click', async () => {
      try {
        await this.api.cancel(executionId);
        await this.refresh();
        await this.showTrail(executionId);
      } catch (error) {
        notify(`Could not cancel ${executionId}: ${errorMessage(error)}`);
      }
    });
    return button;
  }

  private renderTrail(trail: ExecutionTrail): void {
    const start = trail.events[0]?.at ?? trail.startedAt;
    const items = trail.events.map(({ type, at, ...fields }) =>
      h(
        'li',
        { class: `event event-${type}` },
        h('span', { class: 'offset' }, `+${at - start} ms`),
        h('strong', {}, type),
        Object.keys(fields).length > 0 ? h('code', {}, compact(fields)) : null,
      ),
    );
    byId('trail').replaceChildren(
      h('h3', {}, `Audit trail of ${trail.executionId}`),
      ...(trail.status === 'paused' ? [this.cancelButton(trail.executionId)] : []),
      ...(trail.droppedEvents > 0 ? [h('p', {}, `${trail.droppedEvents} older events were dropped.`)] : []),
      h('ol', { class: 'events' }, ...items),
    );
  }
}
