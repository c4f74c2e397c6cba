import {
  type ClientServices,
  ErrorCode,
  type ExecutionLimits,
  type ExecutionResult,
  ExecutionStatus,
  isCallbackError,
  type SandboxErrorInfo,
} from '@agent-tool-protocol/protocol';
import type { CounterState, JournalEntry, PausedState, PendingRecord } from '../durable/store.js';
import { type EntryOutput, type Sandbox, SandboxEntryError } from '../sandbox/sandbox.js';
import type { ClientToolRef } from '../types.js';
import { AgentOutput } from './agent-output.js';
import { AtpCalls } from './atp-calls.js';
import { Budget } from './budget.js';
import { isCallbackOp } from './callback-payloads.js';
import type { ExecutionDeps, LegListeners } from './deps.js';
import { ExecutionEvents } from './events.js';
import { HostCalls } from './host-calls.js';
import { Journal } from './journal.js';
import { type DecodedMessage, decodeOutbox } from './outbox.js';
import { ended, failureFromSandbox, limitOutcomes, type Outcome } from './outcome.js';
import { type ReplayTarget, replayJournal, replayMismatch } from './replayer.js';
import { toResult } from './result.js';
import { type ToolCallHost, ToolCalls } from './tool-calls.js';

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

/**
 * One execution: runs its legs (the first run, then one per resume) by driving its sandbox through
 * the mailbox, dispatches the sandbox's calls, and decides when it is paused (only client callbacks
 * left) or done. Its parts: `HostCalls` (calls in flight and results), `Budget` (wall clock and CPU),
 * `Journal` (durable record of every delivery), `AgentOutput` (logs and progress), `ToolCalls` /
 * `AtpCalls` (the host side of `api.*` and `atp.*`), `replayJournal` and `toResult`.
 */
export class Execution implements ToolCallHost, ReplayTarget {
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
  readonly counters: CounterState = { llm: 0, approval: 0, tools: 0, hostCalls: 0 };
  readonly events: ExecutionEvents;
  readonly calls: HostCalls;

  private readonly clientToolList: ClientToolRef[];
  private readonly budget: Budget;
  private readonly journal: Journal;
  private readonly output: AgentOutput;
  private readonly toolCalls: ToolCalls;
  private readonly atpCalls: AtpCalls;
  private lastClock: number;
  private done: Outcome | undefined;
  private terminal: Outcome | undefined;
  private readonly abort = new AbortController();
  private replaying = false;
  private legTimer: NodeJS.Timeout | undefined;
  private memoryUsed: number | undefined;

  constructor(
    deps: ExecutionDeps,
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
    this.budget = new Budget(params.limits, sandbox);
    this.journal = new Journal(deps.store, this.executionId);
    this.output = new AgentOutput(deps, this.executionId, this.clientId);
    this.calls = new HostCalls((error) =>
      deps.logger.error({ executionId: this.executionId, err: error }, 'host call handling failed'),
    );
    this.events = new ExecutionEvents(deps.emit, this.executionId, this.clientId);
    this.toolCalls = new ToolCalls(this, deps, this.events, params.clientTools);
    this.atpCalls = new AtpCalls(this, deps, this.events, this.toolCalls);
  }

  // ---- legs ------------------------------------------------------------------------------------

  /** Compiles and starts the agent code, then runs until paused or finished. */
  async runFirstLeg(listeners: LegListeners): Promise<Outcome> {
    return this.leg(listeners, async () => {
      const compileFailure = await this.startSandbox();
      if (compileFailure !== undefined) this.setTerminal(compileFailure);
    });
  }

  /** Answers pending callbacks (ids already validated) and runs until paused or finished. */
  async runResumeLeg(results: { id: string; result: unknown }[], listeners: LegListeners): Promise<Outcome> {
    return this.leg(listeners, async () => {
      for (const { id, result } of results) this.answer(id, result);
    });
  }

  private async leg(listeners: LegListeners, first: () => Promise<void>): Promise<Outcome> {
    this.output.startLeg(listeners);
    this.budget.startLeg();
    const remaining = this.budget.remainingAtLegStart();
    this.legTimer = setTimeout(() => this.onDeadline(), Math.max(remaining, 0));
    try {
      if (remaining <= 0) this.onDeadline();
      else await first();
      const outcome = await this.drive();
      if (outcome.kind !== 'paused') this.stopHostWork();
      return outcome;
    } finally {
      clearTimeout(this.legTimer);
      this.budget.endLeg();
      this.memoryUsed = this.sandbox.heapUsedBytes() ?? this.memoryUsed;
    }
  }

  /** Delivers results and waits for host work until only client callbacks are left, or the end. */
  private async drive(): Promise<Outcome> {
    for (;;) {
      if (this.terminal !== undefined) return this.terminal;
      if (this.done !== undefined) return this.done;
      const batch = this.calls.takeReady();
      if (batch !== undefined) {
        const clock = this.nextClock();
        this.journal.record({ t: clock, r: batch.results });
        await this.stepSandbox(clock, batch.json);
        continue;
      }
      if (this.calls.inflight > 0) {
        await this.calls.nextEvent();
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

  private onDeadline(): void {
    this.setTerminal(limitOutcomes.timeout(this.limits.timeout));
    this.sandbox.dispose();
    this.calls.wake();
  }

  cancel(): void {
    this.setTerminal(limitOutcomes.cancelled());
    this.stopHostWork();
    this.sandbox.dispose();
    this.calls.wake();
  }

  get isTerminal(): boolean {
    return this.terminal !== undefined || this.done !== undefined;
  }

  get terminalOutcome(): Outcome | undefined {
    return this.terminal;
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
    this.calls.wake();
  }

  private setTerminal(outcome: Outcome): void {
    if (this.terminal === undefined && this.done === undefined) this.terminal = outcome;
  }

  private stopHostWork(): void {
    this.abort.abort();
    this.calls.clearTimers();
  }

  // ---- entering the sandbox ----------------------------------------------------------------------

  /** Sets the sandbox up and starts the agent code; an outcome when the code does not compile. */
  async startSandbox(): Promise<Outcome | undefined> {
    this.sandbox.setup({
      seed: this.seed,
      maxResultBytes: this.limits.maxResultBytes,
      clock: this.startClock,
    });
    const main = this.sandbox.compile(this.body);
    if ('code' in main) return { kind: 'ended', status: ExecutionStatus.FAILED, error: main };
    const output = await this.enter(() =>
      this.sandbox.start(main, this.budget.entryBudget(this.replaying).ms),
    );
    if (output !== undefined) this.processEntry(output);
    return undefined;
  }

  /** Delivers one batch of results at `clock` and processes the outbox. */
  async stepSandbox(clock: number, batchJson: string): Promise<void> {
    const output = await this.enter(() =>
      this.sandbox.step(clock, batchJson, this.budget.entryBudget(this.replaying).ms),
    );
    if (output !== undefined) this.processEntry(output);
  }

  private async enter<T>(run: () => Promise<T>): Promise<T | undefined> {
    if (this.terminal !== undefined) return undefined;
    const budget = this.budget.entryBudget(this.replaying);
    try {
      const value = await run();
      if (this.budget.cpuExceeded) this.setTerminal(limitOutcomes.cpu(this.limits.cpuTime));
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

  // ---- the outbox ----------------------------------------------------------------------------------

  private processEntry(output: EntryOutput): void {
    if (output.unhandledRejection !== undefined) {
      this.output.log('warn', `Unhandled promise rejection: ${output.unhandledRejection}`, undefined);
    }
    for (const message of decodeOutbox(output.outbox)) {
      if (this.terminal !== undefined) return;
      this.onMessage(message);
    }
  }

  private onMessage(message: DecodedMessage): void {
    switch (message.type) {
      case 'call':
        this.onCall(message.id, message.op, message.args);
        return;
      case 'cancel':
        this.calls.cancelTimer(message.id);
        return;
      case 'log':
        this.output.log(message.level, message.message, message.data);
        return;
      case 'progress':
        this.output.progress(message.message, message.fraction, message.data);
        return;
      case 'done':
        this.onDone(message);
        return;
      case 'violation':
        this.setTerminal(
          ended(
            ExecutionStatus.FAILED,
            ErrorCode.INTERNAL_ERROR,
            `Sandbox protocol violation: ${message.what}.`,
          ),
        );
        return;
    }
  }

  private onDone(message: Extract<DecodedMessage, { type: 'done' }>): void {
    if (this.done !== undefined) return;
    if (this.replaying) {
      this.setTerminal(replayMismatch('the execution finished before the point where it paused'));
      return;
    }
    if (message.kind === 'completed') {
      const { value, hasValue } = message;
      if (hasValue && Buffer.byteLength(JSON.stringify(value) ?? '') > this.limits.maxResultBytes) {
        this.done = limitOutcomes.resultTooLarge(this.limits.maxResultBytes);
      } else this.done = { kind: 'completed', value, hasValue };
    } else if (message.kind === 'unserializable') {
      this.done =
        message.code === ErrorCode.RESULT_TOO_LARGE
          ? limitOutcomes.resultTooLarge(this.limits.maxResultBytes)
          : ended(ExecutionStatus.FAILED, ErrorCode.RESULT_NOT_SERIALIZABLE, String(message.message));
    } else {
      this.done = failureFromSandbox(message.failure);
    }
  }

  private onCall(id: number, op: string, args: Record<string, unknown>): void {
    if (!this.calls.register(id, op, args)) {
      this.setTerminal(
        ended(
          ExecutionStatus.FAILED,
          ErrorCode.INTERNAL_ERROR,
          'Sandbox protocol violation: a malformed call.',
        ),
      );
      return;
    }
    if (this.replaying) return;
    if (op !== 'timer' && ++this.counters.hostCalls > this.limits.maxToolCalls) {
      this.setTerminal(limitOutcomes.tools(this.limits.maxToolCalls));
      return;
    }
    if (op === 'api') {
      this.toolCalls.start(id, typeof args.path === 'string' ? args.path : '', args.input, args.provenance);
      return;
    }
    if (op === 'timer') {
      this.calls.startTimer(id, typeof args.ms === 'number' && args.ms > 0 ? args.ms : 0);
      return;
    }
    if (op === 'cache.get' || op === 'cache.set' || op === 'cache.delete') {
      this.atpCalls.cache(id, op, args);
      return;
    }
    if (isCallbackOp(op)) {
      this.atpCalls.callback(id, op, args);
      return;
    }
    this.reject(id, {
      name: 'TypeError',
      message: `Unknown host operation ${op}`,
      code: ErrorCode.RUNTIME_ERROR,
    });
  }

  // ---- results into the sandbox (ToolCallHost) ---------------------------------------------------------

  resolve(id: number, value: unknown): void {
    this.calls.resolve(id, value);
  }

  reject(id: number, info: SandboxErrorInfo): void {
    this.calls.reject(id, info);
  }

  track(work: Promise<void>): void {
    this.calls.track(work);
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
    this.pauseSeq++;
    await this.journal.persistPause(this.pausedState());
  }

  /** Resolves when background journal writes are done. */
  async journalWrites(): Promise<void> {
    await this.journal.settled();
  }

  /** True once any journal entry was written to the cache (it must be deleted when the run ends). */
  get hasJournal(): boolean {
    return this.journal.wasWritten || this.pauseSeq > 0;
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
      journalLength: this.journal.length,
      pauseSeq: this.pauseSeq,
      activeMs: this.budget.activeMs,
      cpuMs: this.budget.cpuUsedMs(),
      counters: { ...this.counters },
      lastClock: this.lastClock,
    };
  }

  /**
   * A durable resume: replays the journal in this execution's fresh sandbox (see `replayJournal`) and
   * takes over the paused state. Resolves to an outcome when the replay failed.
   */
  async replay(state: PausedState, journal: JournalEntry[]): Promise<Outcome | undefined> {
    this.replaying = true;
    this.output.replaying = true;
    const replayed = await replayJournal(this, state, journal);
    if ('failure' in replayed) return replayed.failure;
    for (const record of state.pending) this.pending.set(record.id, record);
    Object.assign(this.counters, state.counters);
    this.journal.restore(state.journalLength);
    this.pauseSeq = state.pauseSeq;
    this.budget.restore(state.activeMs, state.cpuMs);
    this.lastClock = Math.max(replayed.clock, state.lastClock);
    this.replaying = false;
    this.output.replaying = false;
    return undefined;
  }

  // ---- the wire result -------------------------------------------------------------------------------------

  toResult(outcome: Outcome): ExecutionResult {
    return toResult({
      executionId: this.executionId,
      outcome,
      activeMs: this.budget.activeMs,
      memoryUsed: this.memoryUsed,
      counters: this.counters,
      logs: this.output.logs,
      droppedLogs: this.output.dropped,
      pending: this.pending.values(),
    });
  }
}
