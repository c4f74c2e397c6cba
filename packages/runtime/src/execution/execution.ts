import {
  type ClientServices,
  ErrorCode,
  type ExecutionLimits,
  type ExecutionResult,
  ExecutionStatus,
  isCallbackError,
  type LogEntry,
} from '@agent-tool-protocol/protocol';
import type { CounterState, JournalEntry, PausedState, PendingRecord } from '../durable/store.js';
import { type EntryOutput, type Sandbox, SandboxEntryError } from '../sandbox/sandbox.js';
import type { ClientToolRef } from '../types.js';
import { AtpCalls } from './atp-calls.js';
import { isCallbackOp } from './callback-payloads.js';
import type { ExecutionDeps, LegListeners } from './deps.js';
import { ExecutionEvents } from './events.js';
import {
  ended,
  failureFromSandbox,
  limitOutcomes,
  type Outcome,
  type SandboxFailureInfo,
} from './outcome.js';
import { type ToolCallHost, ToolCalls } from './tool-calls.js';
import { describe, digest, type SandboxErrorInfo, toJsonText } from './values.js';

interface CallInfo {
  op: string;
  key: string;
  args: Record<string, unknown>;
}

/** A result waiting to be delivered: call id, ok flag, JSON text (null = undefined). */
type Ready = [id: number, ok: 0 | 1, text: string | null];

export interface ExecutionParams {
  executionId: string;
  clientId: string;
  body: string;
  seed: number[];
  startClock: number;
  limits: ExecutionLimits;
  services: ClientServices;
  clientTools: ClientToolRef[];
}

const MAX_LOGS_PER_LEG = 1_000;
const MAX_LOG_MESSAGE = 10_000;
/** Unwritten journal bytes kept in memory before they are appended to the cache. */
const JOURNAL_FLUSH_BYTES = 4 * 1024 * 1024;

/**
 * One execution: drives its sandbox through the mailbox, answers host calls, enforces limits,
 * records the journal, and decides when it is paused (only client callbacks left) or done.
 */
export class Execution implements ToolCallHost {
  readonly executionId: string;
  readonly clientId: string;
  readonly limits: ExecutionLimits;
  readonly services: ClientServices;
  readonly body: string;
  readonly seed: number[];
  readonly startClock: number;
  pauseSeq = 0;
  /** The pending client callbacks, by callback id. */
  readonly pending = new Map<string, PendingRecord>();

  private readonly clientToolList: ClientToolRef[];
  readonly counters: CounterState = { llm: 0, approval: 0, tools: 0, hostCalls: 0 };
  private readonly events: ExecutionEvents;
  private readonly toolCalls: ToolCalls;
  private readonly atpCalls: AtpCalls;
  private journalLength = 0;
  private unflushed: JournalEntry[] = [];
  private unflushedBytes = 0;
  private journalWritten = false;
  private flushing: Promise<void> = Promise.resolve();
  private flushError: unknown;
  private activeMs = 0;
  private legStart = 0;
  private cpuOffsetMs = 0;
  private lastClock: number;
  private readonly calls = new Map<number, CallInfo>();
  private ready: Ready[] = [];
  private inflight = 0;
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private done: Outcome | undefined;
  private terminal: Outcome | undefined;
  private wakeUp: (() => void) | undefined;
  private readonly abort = new AbortController();
  private replaying = false;
  private logs: LogEntry[] = [];
  private droppedLogs = 0;
  /** The log quota that dropped entries in this leg, if one did. */
  private logQuota: { quota: string; limit: number } | undefined;
  private listeners: LegListeners = {};
  private legTimer: NodeJS.Timeout | undefined;
  private memoryUsed: number | undefined;

  constructor(
    private readonly deps: ExecutionDeps,
    readonly sandbox: Sandbox,
    params: ExecutionParams,
  ) {
    this.executionId = params.executionId;
    this.clientId = params.clientId;
    this.body = params.body;
    this.seed = params.seed;
    this.startClock = params.startClock;
    this.lastClock = params.startClock;
    this.limits = params.limits;
    this.services = params.services;
    this.clientToolList = params.clientTools;
    this.events = new ExecutionEvents(deps.emit, this.executionId, this.clientId);
    this.toolCalls = new ToolCalls(this, deps, this.events, params.clientTools);
    this.atpCalls = new AtpCalls(this, deps, this.events, this.toolCalls);
  }

  // ---- legs ------------------------------------------------------------------------------------

  /** Compiles and starts the agent code, then runs until paused or finished. */
  async runFirstLeg(listeners: LegListeners): Promise<Outcome> {
    return this.leg(listeners, async () => {
      this.sandbox.setup({
        seed: this.seed,
        maxResultBytes: this.limits.maxResultBytes,
        clock: this.startClock,
      });
      const main = this.sandbox.compile(this.body);
      if ('code' in main) {
        this.setTerminal({ kind: 'ended', status: ExecutionStatus.FAILED, error: main });
        return;
      }
      const outbox = await this.enter(() => this.sandbox.start(main, this.entryBudget().ms));
      if (outbox !== undefined) this.processEntry(outbox);
    });
  }

  /** Answers pending callbacks (ids already validated) and runs until paused or finished. */
  async runResumeLeg(results: { id: string; result: unknown }[], listeners: LegListeners): Promise<Outcome> {
    return this.leg(listeners, async () => {
      for (const { id, result } of results) this.answer(id, result);
    });
  }

  private async leg(listeners: LegListeners, first: () => Promise<void>): Promise<Outcome> {
    this.listeners = listeners;
    this.logs = [];
    this.droppedLogs = 0;
    this.logQuota = undefined;
    this.legStart = performance.now();
    const remaining = this.limits.timeout - this.activeMs;
    this.legTimer = setTimeout(() => this.onDeadline(), Math.max(remaining, 0));
    try {
      if (remaining <= 0) this.onDeadline();
      else await first();
      const outcome = await this.drive();
      if (outcome.kind !== 'paused') this.stopHostWork();
      return outcome;
    } finally {
      clearTimeout(this.legTimer);
      this.activeMs += performance.now() - this.legStart;
      this.memoryUsed = this.sandbox.heapUsedBytes() ?? this.memoryUsed;
    }
  }

  private async drive(): Promise<Outcome> {
    for (;;) {
      if (this.terminal !== undefined) return this.terminal;
      if (this.done !== undefined) return this.done;
      if (this.ready.length > 0) {
        await this.deliverReady();
        continue;
      }
      if (this.inflight > 0) {
        await new Promise<void>((resolve) => {
          this.wakeUp = resolve;
        });
        continue;
      }
      if (this.pending.size > 0) return { kind: 'paused' };
      return ended(
        ExecutionStatus.FAILED,
        ErrorCode.RUNTIME_ERROR,
        'The execution is waiting for a promise that can never settle: no host call, timer or client callback is pending.',
      );
    }
  }

  private wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = undefined;
    wakeUp?.();
  }

  private onDeadline(): void {
    this.setTerminal(limitOutcomes.timeout(this.limits.timeout));
    this.sandbox.dispose();
    this.wake();
  }

  cancel(): void {
    this.setTerminal(limitOutcomes.cancelled());
    this.stopHostWork();
    this.sandbox.dispose();
    this.wake();
  }

  get isTerminal(): boolean {
    return this.terminal !== undefined || this.done !== undefined;
  }

  /** Heap bytes used by the isolate at the end of the last leg. */
  get memoryUsedBytes(): number | undefined {
    return this.memoryUsed;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Ends the execution now (a blocked tool call): agent code still running is stopped. */
  endWith(outcome: Outcome): void {
    this.setTerminal(outcome);
    this.sandbox.dispose();
    this.wake();
  }

  private setTerminal(outcome: Outcome): void {
    if (this.terminal === undefined && this.done === undefined) this.terminal = outcome;
  }

  private stopHostWork(): void {
    this.abort.abort();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  // ---- entering the sandbox ----------------------------------------------------------------------

  private cpuUsedMs(): number {
    return this.cpuOffsetMs + this.sandbox.cpuTimeMs();
  }

  private entryBudget(): { ms: number; cpuBound: boolean } {
    const wall = this.replaying
      ? this.limits.timeout
      : this.limits.timeout - this.activeMs - (performance.now() - this.legStart);
    const cpu = this.limits.cpuTime - this.cpuUsedMs();
    return { ms: Math.max(1, Math.ceil(Math.min(wall, cpu))), cpuBound: cpu <= wall };
  }

  private async enter<T>(run: () => Promise<T>): Promise<T | undefined> {
    if (this.terminal !== undefined) return undefined;
    const budget = this.entryBudget();
    try {
      const value = await run();
      if (this.cpuUsedMs() > this.limits.cpuTime) this.setTerminal(limitOutcomes.cpu(this.limits.cpuTime));
      return value;
    } catch (error) {
      if (!(error instanceof SandboxEntryError)) throw error;
      if (error.reason === 'memory') this.setTerminal(limitOutcomes.memory(this.limits.maxMemory));
      else if (error.reason === 'timeout') {
        this.setTerminal(
          budget.cpuBound
            ? limitOutcomes.cpu(this.limits.cpuTime)
            : limitOutcomes.timeout(this.limits.timeout),
        );
      } else {
        this.setTerminal(
          ended(
            ExecutionStatus.FAILED,
            ErrorCode.INTERNAL_ERROR,
            `The sandbox stopped unexpectedly: ${error.message}`,
          ),
        );
      }
      return undefined;
    }
  }

  private nextClock(): number {
    this.lastClock = Math.max(this.lastClock, Date.now());
    return this.lastClock;
  }

  private async deliverReady(): Promise<void> {
    const items = this.ready;
    this.ready = [];
    const clock = this.nextClock();
    const results: JournalEntry['r'] = [];
    let batch = '[';
    for (const [id, ok, text] of items) {
      const call = this.calls.get(id);
      if (call === undefined) continue;
      this.calls.delete(id);
      batch += `${results.length === 0 ? '' : ','}[${id},${ok}${text === null ? '' : `,${text}`}]`;
      results.push([id, call.key, ok, text]);
    }
    if (results.length === 0) return;
    this.record({ t: clock, r: results });
    const outbox = await this.enter(() => this.sandbox.step(clock, `${batch}]`, this.entryBudget().ms));
    if (outbox !== undefined) this.processEntry(outbox);
  }

  /**
   * Journals one delivery step. Entries wait in memory until the execution pauses (most executions
   * never do, and then the journal is never written); beyond JOURNAL_FLUSH_BYTES they are appended
   * to the cache in the background, so memory stays bounded.
   */
  private record(entry: JournalEntry): void {
    this.unflushed.push(entry);
    this.journalLength++;
    for (const [, key, , text] of entry.r) this.unflushedBytes += key.length + (text?.length ?? 0) + 16;
    if (this.unflushedBytes < JOURNAL_FLUSH_BYTES) return;
    const entries = this.unflushed;
    const previousLength = this.journalLength - entries.length;
    this.unflushed = [];
    this.unflushedBytes = 0;
    this.journalWritten = true;
    this.flushing = this.flushing.then(() =>
      this.deps.store.appendJournal(this.executionId, previousLength, entries).catch((error: unknown) => {
        this.flushError ??= error;
      }),
    );
  }

  /** Resolves when background journal writes are done. */
  async journalWrites(): Promise<void> {
    await this.flushing;
  }

  /** True once any journal entry was written to the cache (it must be deleted when the run ends). */
  get hasJournal(): boolean {
    return this.journalWritten || this.pauseSeq > 0;
  }

  // ---- the outbox ----------------------------------------------------------------------------------

  private processEntry(output: EntryOutput): void {
    if (output.unhandledRejection !== undefined) {
      this.onLog('warn', `Unhandled promise rejection: ${output.unhandledRejection}`, undefined);
    }
    this.processOutbox(output.outbox);
  }

  private processOutbox(text: string): void {
    let messages: unknown;
    try {
      messages = JSON.parse(text);
    } catch {
      messages = undefined;
    }
    if (!Array.isArray(messages)) {
      this.protocolViolation('the outbox is not a JSON array');
      return;
    }
    for (const message of messages) {
      if (this.terminal !== undefined) return;
      if (!Array.isArray(message)) {
        this.protocolViolation('an outbox message is not an array');
        return;
      }
      switch (message[0]) {
        case 'call':
          this.onCall(message[1], message[2], message[3]);
          break;
        case 'cancel':
          this.onCancelTimer(message[1]);
          break;
        case 'log':
          this.onLog(message[1], message[2], message[3]);
          break;
        case 'progress':
          this.onProgress(message[1], message[2], message[3]);
          break;
        case 'done':
          this.onDone(message);
          break;
        default:
          this.protocolViolation(`unknown message ${JSON.stringify(message[0])}`);
          return;
      }
    }
  }

  private protocolViolation(what: string): void {
    this.setTerminal(
      ended(ExecutionStatus.FAILED, ErrorCode.INTERNAL_ERROR, `Sandbox protocol violation: ${what}.`),
    );
  }

  private onDone(message: unknown[]): void {
    if (this.done !== undefined) return;
    if (this.replaying) {
      this.setTerminal(this.replayMismatch('the execution finished before the point where it paused'));
      return;
    }
    const [, kind, value] = message;
    if (kind === 1) {
      const hasValue = message.length > 2;
      if (hasValue && Buffer.byteLength(JSON.stringify(value) ?? '') > this.limits.maxResultBytes) {
        this.done = limitOutcomes.resultTooLarge(this.limits.maxResultBytes);
      } else this.done = { kind: 'completed', value, hasValue };
    } else if (kind === 2) {
      const info = (value ?? {}) as { code?: unknown; message?: unknown };
      this.done =
        info.code === ErrorCode.RESULT_TOO_LARGE
          ? limitOutcomes.resultTooLarge(this.limits.maxResultBytes)
          : ended(ExecutionStatus.FAILED, ErrorCode.RESULT_NOT_SERIALIZABLE, String(info.message));
    } else {
      this.done = failureFromSandbox((value ?? {}) as SandboxFailureInfo);
    }
  }

  private onLog(level: unknown, message: unknown, data: unknown): void {
    if (this.replaying) return;
    if (level !== 'debug' && level !== 'info' && level !== 'warn' && level !== 'error') return;
    if (this.logs.length >= MAX_LOGS_PER_LEG) {
      this.droppedLogs++;
      return;
    }
    const text = String(message);
    const entry: LogEntry = {
      level,
      message: text.length > MAX_LOG_MESSAGE ? `${text.slice(0, MAX_LOG_MESSAGE)}…` : text,
      timestamp: Date.now(),
    };
    if (data !== null && data !== undefined) entry.data = data;
    if (!this.withinLogQuota(entry)) return;
    this.logs.push(entry);
    this.listeners.onLog?.(entry);
    this.deps.onLog?.({ ...entry, executionId: this.executionId, clientId: this.clientId });
    this.deps.logger[level](
      { executionId: this.executionId, clientId: this.clientId, source: 'agent', data: entry.data },
      entry.message,
    );
  }

  /** Counts the entry against the execution's log quotas; false (and counted as dropped) beyond them. */
  private withinLogQuota(entry: LogEntry): boolean {
    const { maxLogEntries, maxLogBytes } = this.deps.quotas;
    const entries = this.counters.logEntries ?? 0;
    const bytes = this.counters.logBytes ?? 0;
    const size =
      Buffer.byteLength(entry.message) +
      (entry.data === undefined ? 0 : Buffer.byteLength(JSON.stringify(entry.data) ?? ''));
    if (entries >= maxLogEntries) this.logQuota = { quota: 'quotas.logs.maxEntries', limit: maxLogEntries };
    else if (bytes + size > maxLogBytes)
      this.logQuota = { quota: 'quotas.logs.maxBytes', limit: maxLogBytes };
    else {
      this.counters.logEntries = entries + 1;
      this.counters.logBytes = bytes + size;
      return true;
    }
    this.droppedLogs++;
    return false;
  }

  private onProgress(message: unknown, fraction: unknown, data: unknown): void {
    if (this.replaying) return;
    const event = {
      executionId: this.executionId,
      message: String(message),
      timestamp: Date.now(),
      ...(typeof fraction === 'number' ? { fraction } : {}),
      ...(data !== null && data !== undefined ? { data } : {}),
    };
    this.listeners.onProgress?.(event);
    this.deps.onProgress?.({ ...event, clientId: this.clientId });
  }

  private onCancelTimer(id: unknown): void {
    if (typeof id !== 'number') return;
    const call = this.calls.get(id);
    if (call === undefined || call.op !== 'timer') return;
    this.calls.delete(id);
    const timer = this.timers.get(id);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.timers.delete(id);
      this.inflight--;
    }
  }

  private onCall(id: unknown, op: unknown, args: unknown): void {
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || this.calls.has(id) || typeof op !== 'string') {
      this.protocolViolation('a malformed call');
      return;
    }
    const record =
      typeof args === 'object' && args !== null && !Array.isArray(args)
        ? (args as Record<string, unknown>)
        : {};
    this.calls.set(id, { op, key: `${op}:${digest(JSON.stringify(record))}`, args: record });
    if (this.replaying) return;
    if (op !== 'timer' && ++this.counters.hostCalls > this.limits.maxToolCalls) {
      this.setTerminal(limitOutcomes.tools(this.limits.maxToolCalls));
      return;
    }
    if (op === 'api') {
      this.toolCalls.start(
        id,
        typeof record.path === 'string' ? record.path : '',
        record.input,
        record.provenance,
      );
      return;
    }
    if (op === 'timer') {
      this.onTimer(id, record);
      return;
    }
    if (op === 'cache.get' || op === 'cache.set' || op === 'cache.delete') {
      this.atpCalls.cache(id, op, record);
      return;
    }
    if (isCallbackOp(op)) {
      this.atpCalls.callback(id, op, record);
      return;
    }
    this.reject(id, {
      name: 'TypeError',
      message: `Unknown host operation ${op}`,
      code: ErrorCode.RUNTIME_ERROR,
    });
  }

  // ---- results into the sandbox ----------------------------------------------------------------------

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

  /** Runs host work that the execution waits for (it is not a client wait, so it blocks pausing). */
  track(work: Promise<void>): void {
    this.inflight++;
    work
      .catch((error: unknown) => {
        this.deps.logger.error({ executionId: this.executionId, err: error }, 'host call handling failed');
      })
      .finally(() => {
        this.inflight--;
        this.wake();
      });
  }

  // ---- atp.* host calls ----------------------------------------------------------------------------

  private onTimer(id: number, args: Record<string, unknown>): void {
    const ms = typeof args.ms === 'number' && args.ms > 0 ? args.ms : 0;
    this.inflight++;
    const timer = setTimeout(() => {
      this.timers.delete(id);
      this.inflight--;
      this.resolve(id, undefined);
    }, ms);
    this.timers.set(id, timer);
  }

  // ---- answers from the client ------------------------------------------------------------------------

  /** Applies one client answer to a pending callback (the id was validated by the caller). */
  private answer(callbackId: string, result: unknown): void {
    const record = this.pending.get(callbackId);
    if (record === undefined) return;
    this.pending.delete(callbackId);
    const id = record.callId;
    const call = this.calls.get(id);
    const path = String(call?.args.path ?? '');
    if (record.guard === 'tool-approval') {
      this.toolCalls.answerApproval(id, path, call?.args.input, result, call?.args.provenance);
      return;
    }
    if (isCallbackError(result)) {
      this.reject(id, { message: result.message, code: ErrorCode.CALLBACK_ERROR });
      return;
    }
    if (record.type === 'approval' && typeof result === 'object' && result !== null) {
      const answer = result as { approved?: unknown; reason?: unknown };
      this.events.approvalDecided(
        {
          approved: answer.approved === true,
          ...(typeof answer.reason === 'string' ? { reason: answer.reason } : {}),
        },
        'client',
      );
    }
    if (record.type === 'tool') {
      this.toolCalls.answerTool(id, path, call?.args.input, result, call?.args.provenance);
      return;
    }
    this.resolve(id, result);
  }

  // ---- durable state -------------------------------------------------------------------------------------

  /** Persists the journal entries since the last pause and the paused state. */
  async persistPause(): Promise<void> {
    await this.flushing;
    if (this.flushError !== undefined) throw this.flushError;
    this.pauseSeq++;
    const entries = this.unflushed;
    this.unflushed = [];
    this.unflushedBytes = 0;
    await this.deps.store.savePaused(this.pausedState(), entries);
  }

  pausedState(): PausedState {
    return {
      v: 1,
      status: 'paused',
      executionId: this.executionId,
      clientId: this.clientId,
      body: this.body,
      seed: this.seed,
      startClock: this.startClock,
      limits: this.limits,
      services: this.services,
      clientTools: this.clientToolList,
      pending: [...this.pending.values()],
      journalLength: this.journalLength,
      pauseSeq: this.pauseSeq,
      activeMs: this.activeMs,
      cpuMs: this.cpuUsedMs(),
      counters: { ...this.counters },
      lastClock: this.lastClock,
    };
  }

  private replayMismatch(what: string): Outcome {
    return ended(
      ExecutionStatus.FAILED,
      ErrorCode.NONDETERMINISTIC_REPLAY,
      `Durable resume could not replay the execution: ${what}. The code did not make the same host calls as when it ran; nothing was executed twice.`,
    );
  }

  /**
   * Re-runs the code in a fresh sandbox, answering every host call from the journal in the recorded
   * steps (no handler runs again), until it stands where it paused. Then it is a hot execution.
   */
  async replay(state: PausedState, journal: JournalEntry[]): Promise<Outcome | undefined> {
    this.replaying = true;
    this.sandbox.setup({
      seed: this.seed,
      maxResultBytes: this.limits.maxResultBytes,
      clock: this.startClock,
    });
    const main = this.sandbox.compile(this.body);
    if ('code' in main) return this.replayMismatch('the stored code no longer compiles');
    const outbox = await this.enter(() => this.sandbox.start(main, this.entryBudget().ms));
    if (outbox !== undefined) this.processEntry(outbox);
    for (const [index, entry] of journal.entries()) {
      if (this.terminal !== undefined) return this.terminal;
      let batch = '[';
      for (const [position, [id, key, ok, text]] of entry.r.entries()) {
        const call = this.calls.get(id);
        if (call === undefined || call.key !== key) {
          return this.replayMismatch(
            `at step ${index + 1} the journal answers call #${id} (${key.split(':')[0]}) but the code ${call === undefined ? 'made no such call' : `made a different call (${call.op})`}`,
          );
        }
        this.calls.delete(id);
        if (call.op === 'api') {
          this.events.toolCall(`api.${String(call.args.path)}`, ok ? 'ok' : 'error', performance.now(), true);
        }
        batch += `${position === 0 ? '' : ','}[${id},${ok}${text === null ? '' : `,${text}`}]`;
      }
      this.lastClock = entry.t;
      const outbox = await this.enter(() => this.sandbox.step(entry.t, `${batch}]`, this.entryBudget().ms));
      if (outbox !== undefined) this.processEntry(outbox);
    }
    if (this.terminal !== undefined) return this.terminal;
    const expected = new Set(state.pending.map((record) => record.callId));
    for (const id of this.calls.keys()) {
      if (!expected.has(id))
        return this.replayMismatch(`call #${id} is pending but was not pending when it paused`);
    }
    for (const id of expected) {
      if (!this.calls.has(id))
        return this.replayMismatch(`call #${id} was pending when it paused but was not made`);
    }
    for (const record of state.pending) this.pending.set(record.id, record);
    Object.assign(this.counters, state.counters);
    this.journalLength = state.journalLength;
    this.pauseSeq = state.pauseSeq;
    this.activeMs = state.activeMs;
    this.cpuOffsetMs = state.cpuMs - this.sandbox.cpuTimeMs();
    this.lastClock = Math.max(this.lastClock, state.lastClock);
    this.replaying = false;
    return undefined;
  }

  // ---- the wire result -------------------------------------------------------------------------------------

  private droppedLogsNotice(): LogEntry {
    const quota = this.logQuota;
    if (quota === undefined) {
      return {
        level: 'warn',
        message: `${this.droppedLogs} more log entries were dropped`,
        timestamp: Date.now(),
      };
    }
    return {
      level: 'warn',
      message: `${this.droppedLogs} more log entries were dropped: the execution reached ${quota.quota} (${quota.limit})`,
      data: { code: ErrorCode.QUOTA_EXCEEDED, ...quota },
      timestamp: Date.now(),
    };
  }

  toResult(outcome: Outcome): ExecutionResult {
    const result: ExecutionResult = {
      executionId: this.executionId,
      status:
        outcome.kind === 'paused'
          ? ExecutionStatus.PAUSED
          : outcome.kind === 'completed'
            ? ExecutionStatus.COMPLETED
            : outcome.status,
      stats: {
        duration: Math.round(this.activeMs * 1000) / 1000,
        ...(this.memoryUsed === undefined ? {} : { memoryUsed: this.memoryUsed }),
        llmCallsCount: this.counters.llm,
        approvalCallsCount: this.counters.approval,
        toolCallsCount: this.counters.tools,
        hostCallsCount: this.counters.hostCalls,
      },
      logs: this.droppedLogs > 0 ? [...this.logs, this.droppedLogsNotice()] : this.logs,
    };
    if (outcome.kind === 'completed') {
      if (outcome.hasValue) result.result = outcome.value;
    } else if (outcome.kind === 'ended') {
      result.error = outcome.error;
    } else {
      const callbacks = [...this.pending.values()].map(({ id, type, operation, payload }) => ({
        id,
        type,
        operation,
        payload,
      }));
      result.needsCallbacks = callbacks;
      if (callbacks.length === 1) {
        const [only] = callbacks;
        result.needsCallback = { type: only!.type, operation: only!.operation, payload: only!.payload };
      }
    }
    return result;
  }
}
