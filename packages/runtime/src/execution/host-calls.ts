import { ErrorCode, type SandboxErrorInfo } from '@agent-tool-protocol/protocol';
import type { JournalResult } from '../durable/store.js';
import { describe, digest, toJsonText } from './values.js';

/**
 * How many microtask hops the channel's answer waits for host calls still in flight. Host calls whose
 * handlers settle within them (a synchronous handler, an in-memory cache) are answered in the same
 * round trip; slower ones are delivered by a later `step`.
 */
const SETTLE_MICROTASK_HOPS = 64;

/** A call the sandbox made and the host has not answered yet. */
export interface CallInfo {
  op: string;
  /** The operation plus a digest of its arguments: how durable replay recognises the same call. */
  key: string;
  args: Record<string, unknown>;
}

/** A result waiting to be delivered: call id, ok flag, JSON text (null = undefined). */
type Ready = [id: number, ok: 0 | 1, text: string | null];

/** A batch of results ready for the sandbox: the `DeliveredResult` array as JSON, and its journal form. */
export interface ReadyBatch {
  json: string;
  results: JournalResult[];
}

/**
 * The host side of the mailbox for one execution: the calls in flight, the results waiting to be
 * delivered, the host work the execution waits for (which keeps it from pausing) and its timers.
 */
export class HostCalls {
  private readonly calls = new Map<number, CallInfo>();
  private ready: Ready[] = [];
  private inflightCount = 0;
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private wakeUp: (() => void) | undefined;

  constructor(private readonly onWorkFailed: (error: unknown) => void) {}

  /** Records a call; false when the id is already in flight. */
  register(id: number, op: string, args: Record<string, unknown>): boolean {
    if (this.calls.has(id)) return false;
    this.calls.set(id, { op, key: `${op}:${digest(JSON.stringify(args))}`, args });
    return true;
  }

  get(id: number): CallInfo | undefined {
    return this.calls.get(id);
  }

  /** Removes a call (answered, or replayed from the journal) and returns it. */
  take(id: number): CallInfo | undefined {
    const call = this.calls.get(id);
    this.calls.delete(id);
    return call;
  }

  ids(): IterableIterator<number> {
    return this.calls.keys();
  }

  has(id: number): boolean {
    return this.calls.has(id);
  }

  get hasReady(): boolean {
    return this.ready.length > 0;
  }

  /** Host work in flight (api calls, cache operations, timers, hooks, server approvals). */
  get inflight(): number {
    return this.inflightCount;
  }

  resolve(id: number, value: unknown): void {
    let text: string | null;
    try {
      text = toJsonText(value);
    } catch (error) {
      this.reject(id, {
        message: `The value cannot be copied into the sandbox: ${describe(error)}`,
        code: ErrorCode.TOOL_ERROR,
      });
      return;
    }
    this.ready.push([id, 1, text]);
    this.wake();
  }

  reject(id: number, info: SandboxErrorInfo): void {
    this.ready.push([id, 0, JSON.stringify(info)]);
    this.wake();
  }

  /** Takes the results ready now for calls still in flight; undefined when there are none. */
  takeReady(): ReadyBatch | undefined {
    const items = this.ready;
    this.ready = [];
    const results: JournalResult[] = [];
    let json = '[';
    for (const [id, ok, text] of items) {
      const call = this.take(id);
      if (call === undefined) continue;
      json += `${results.length === 0 ? '' : ','}[${id},${ok}${text === null ? '' : `,${text}`}]`;
      results.push([id, call.key, ok, text]);
    }
    return results.length === 0 ? undefined : { json: `${json}]`, results };
  }

  /** Runs host work that the execution waits for (it is not a client wait, so it blocks pausing). */
  track(work: Promise<void>): void {
    this.inflightCount++;
    work.then(this.workDone, this.workFailed);
  }

  private readonly workDone = (): void => {
    this.inflightCount--;
    this.wake();
  };

  private readonly workFailed = (error: unknown): void => {
    try {
      this.onWorkFailed(error);
    } finally {
      this.workDone();
    }
  };

  /** A sandbox timer: resolves call `id` after `ms`; it counts as host work. */
  startTimer(id: number, ms: number): void {
    this.inflightCount++;
    const timer = setTimeout(() => {
      this.timers.delete(id);
      this.inflightCount--;
      this.resolve(id, undefined);
    }, ms);
    this.timers.set(id, timer);
  }

  /** `clearTimeout` in the sandbox. */
  cancelTimer(id: number): void {
    const call = this.calls.get(id);
    if (call === undefined || call.op !== 'timer') return;
    this.calls.delete(id);
    const timer = this.timers.get(id);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(id);
    this.inflightCount--;
  }

  clearTimers(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /**
   * Resolves when no host work is in flight any more, or after `SETTLE_MICROTASK_HOPS` microtask
   * hops, whichever comes first: by then every call whose handler answers within microtasks has its
   * result. Never later than the microtasks of the current task (no timer, no I/O): the channel's
   * answer must settle before isolated-vm's task that called it ends (see `ChannelHandler`). Each hop
   * is one `await` (Node's `queueMicrotask` makes an async resource per call).
   */
  async settledWithinMicrotasks(): Promise<void> {
    for (let hops = 0; this.inflightCount > 0 && hops < SETTLE_MICROTASK_HOPS; hops++) await undefined;
  }

  /** Resolves at the next result, finished host work or `wake()`. */
  async nextEvent(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.wakeUp = resolve;
    });
  }

  wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = undefined;
    wakeUp?.();
  }
}
