import {
  type ClientServices,
  ErrorCode,
  type ExecutionError,
  type ExecutionLimits,
  type ExecutionResult,
  ExecutionStatus,
  type SandboxErrorInfo,
} from '@agent-tool-protocol/protocol';
import type { CounterState, JournalEntry, PausedState, PendingRecord } from '../durable/store.js';
import {
  type BodySourceMap,
  mapParseError,
  type PositionMapper,
  positionMapper,
} from '../sandbox/positions.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { ClientToolRef } from '../types.js';
import { AgentOutput } from './agent-output.js';
import { AtpCalls } from './atp-calls.js';
import { Budget } from './budget.js';
import { isCallbackOp } from './callback-payloads.js';
import { applyClientAnswer } from './client-answers.js';
import type { ExecutionDeps, LegListeners } from './deps.js';
import { Entry, watchEntry } from './entry.js';
import { ExecutionEvents } from './events.js';
import { HostCalls } from './host-calls.js';
import { Journal } from './journal.js';
import { type DecodedMessage, decodeOutbox } from './outbox.js';
import { ended, failureFromSandbox, limitOutcomes, type Outcome } from './outcome.js';
import { JournalReplay, replayMismatch } from './replayer.js';
import { toResult } from './result.js';
import { type ToolCallHost, ToolCalls } from './tool-calls.js';
import { describe } from './values.js';

/**
 * The reason handlers' signals are aborted with: what `abort()` would make, made once (a DOMException
 * per execution cost ~20 µs of the event loop), and frozen since every execution shares it.
 */
const ABORTED = Object.freeze(new DOMException('This operation was aborted', 'AbortError'));

export interface ExecutionParams {
  executionId: string;
  clientId: string;
  body: string;
  /** Characters the transformCode hook prepended to the agent's code (see `compileSource`). */
  preludeLength?: number;
  /** The source map of code that type stripping had to transform (see `BodySourceMap`). */
  positions?: BodySourceMap;
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
 * `Entry` / `watchEntry` (one entry into the sandbox and its limits), `Journal` (durable record of every
 * delivery), `AgentOutput` (logs and progress), `ToolCalls` / `AtpCalls` (the host side of `api.*` and
 * `atp.*`), `applyClientAnswer`, `JournalReplay`, `decodeOutbox` and `toResult`.
 *
 * An entry (`start`, `step`) lasts until the sandbox has nothing left to do: meanwhile the sandbox hands
 * over its outbox through the channel (`onOutbox`) at every quiescent point, and gets the results that
 * are ready at once, so a run of fast host calls needs no further entry.
 */
export class Execution implements ToolCallHost {
  readonly executionId: string;
  readonly clientId: string;
  readonly limits: ExecutionLimits;
  readonly services: ClientServices;
  readonly body: string;
  readonly preludeLength: number;
  private readonly positions: BodySourceMap | undefined;
  private readonly positionMapper: PositionMapper | undefined;
  readonly seed: number[];
  readonly startClock: number;
  pauseSeq = 0;
  /** The pending client callbacks, by callback id. */
  readonly pending = new Map<string, PendingRecord>();
  readonly counters: CounterState = { llm: 0, approval: 0, tools: 0, hostCalls: 0 };
  readonly events: ExecutionEvents;
  readonly calls: HostCalls;

  private readonly clientToolList: ClientToolRef[];
  private readonly logger: ExecutionDeps['logger'];
  private readonly budget: Budget;
  private readonly journal: Journal;
  private readonly output: AgentOutput;
  readonly toolCalls: ToolCalls;
  private readonly atpCalls: AtpCalls;
  private lastClock: number;
  private done: Outcome | undefined;
  private terminal: Outcome | undefined;
  /** Made when a handler first asks for the signal (most executions never do). */
  private abort: AbortController | undefined;
  private hostWorkStopped = false;
  private replaying: JournalReplay | undefined;
  private entry: Entry | undefined;
  private legTimer: NodeJS.Timeout | undefined;
  private memoryUsed: number | undefined;
  /** The agent's code returned or threw, and nothing else ended the execution. */
  private endedCleanly = false;

  constructor(
    deps: ExecutionDeps,
    readonly sandbox: Sandbox,
    params: ExecutionParams,
  ) {
    this.executionId = params.executionId;
    this.clientId = params.clientId;
    this.body = params.body;
    this.preludeLength = params.preludeLength ?? 0;
    this.positions = params.positions;
    this.positionMapper = positionMapper(params.positions);
    this.seed = params.seed;
    this.startClock = params.startClock;
    this.lastClock = params.startClock;
    this.limits = params.limits;
    this.services = params.services;
    this.clientToolList = params.clientTools;
    this.budget = new Budget(params.limits, sandbox);
    this.journal = new Journal(deps.store, this.executionId);
    this.output = new AgentOutput(deps, this.executionId, this.clientId, this.counters);
    this.calls = new HostCalls((error) =>
      deps.logger.error({ executionId: this.executionId, err: error }, 'host call handling failed'),
    );
    this.events = new ExecutionEvents(deps.emit, this.executionId, this.clientId);
    this.toolCalls = new ToolCalls(this, deps, this.events, params.clientTools);
    this.atpCalls = new AtpCalls(this, deps, this.events, this.toolCalls);
    this.logger = deps.logger;
    sandbox.attach(
      (outbox) => this.onOutbox(outbox),
      (message) => this.onLost(message),
    );
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
      // Only when the sandbox is sure to be idle (it finished or paused): after a limit or a failure it
      // may still be busy, and a synchronous call would wait for it.
      if (this.terminal === undefined) this.memoryUsed = this.sandbox.heapUsedBytes() ?? this.memoryUsed;
    }
  }

  /** Delivers results and waits for host work until only client callbacks are left, or the end. */
  private async drive(): Promise<Outcome> {
    for (;;) {
      if (this.terminal !== undefined) return this.terminal;
      if (this.done !== undefined) return this.done;
      const batch = this.takeBatch();
      if (batch !== undefined) {
        await this.enter(() => this.sandbox.step(batch.clock, batch.json), 'channel');
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
    this.endWith(limitOutcomes.timeout(this.limits.timeout));
  }

  cancel(): void {
    this.stopHostWork();
    this.endWith(limitOutcomes.cancelled());
  }

  /** The isolate hit a catastrophic out-of-memory error: its thread is parked for good. */
  private onLost(message: string): void {
    this.logger.error(
      { executionId: this.executionId, clientId: this.clientId, reason: message },
      'a sandbox isolate was lost (catastrophic out-of-memory); its thread and memory stay allocated until the process restarts',
    );
    this.setTerminal(limitOutcomes.memory(this.limits.maxMemory));
  }

  get isTerminal(): boolean {
    return this.terminal !== undefined || this.done !== undefined;
  }

  /**
   * Whether the sandbox's isolate may serve another execution (in a fresh context): only when the
   * agent's code returned or threw and no limit, cancel, host failure or lost isolate ended it.
   */
  get isolateReusable(): boolean {
    return (
      this.endedCleanly && this.terminal === undefined && !this.sandbox.isDisposed && !this.sandbox.isLost
    );
  }

  /** Heap bytes used by the isolate at the end of the last leg. */
  get memoryUsedBytes(): number | undefined {
    return this.memoryUsed;
  }

  get signal(): AbortSignal {
    if (this.abort === undefined) {
      this.abort = new AbortController();
      if (this.hostWorkStopped) this.abort.abort(ABORTED);
    }
    return this.abort.signal;
  }

  /** Ends the execution now (a limit, a blocked tool call): agent code still running is stopped. */
  endWith(outcome: Outcome): void {
    this.setTerminal(outcome);
    if (!this.sandbox.isLost) this.sandbox.dispose();
  }

  private setTerminal(outcome: Outcome): void {
    if (this.terminal === undefined && this.done === undefined) this.terminal = outcome;
    // After this turn, like a yield: if the sandbox waits on the channel, its answer goes out first
    // (the leg's end calls the isolate synchronously, which would wait for it forever).
    const entry = this.entry;
    if (entry !== undefined) setImmediate(entry.finish);
    this.calls.wake();
  }

  private stopHostWork(): void {
    this.hostWorkStopped = true;
    this.abort?.abort(ABORTED);
    this.calls.clearTimers();
  }

  // ---- entering the sandbox ----------------------------------------------------------------------

  /** Sets the sandbox up and starts the agent code; an outcome when the code does not compile. */
  async startSandbox(): Promise<Outcome | undefined> {
    if (this.sandbox.isDisposed) throw new Error('The sandbox was disposed before the execution started');
    const setup = {
      seed: this.seed,
      maxResultBytes: this.limits.maxResultBytes,
      maxMemoryBytes: this.limits.maxMemory * 1024 * 1024,
      clock: this.startClock,
    };
    let parseError: ExecutionError | undefined;
    await this.enter(async () => {
      parseError = await this.sandbox.start(setup, this.body, this.preludeLength);
    }, 'task');
    if (parseError !== undefined)
      return {
        kind: 'ended',
        status: ExecutionStatus.FAILED,
        error: mapParseError(parseError, this.positionMapper),
      };
    if (this.terminal === undefined) this.processOutbox(this.sandbox.collect());
    if (this.replaying !== undefined) await this.replayOnward(this.replaying);
    return undefined;
  }

  /**
   * Runs one entry under a watchdog for the CPU and memory limits until its task is over (`task`: the
   * start) or the sandbox yields (`channel`: the channel answered ''), the isolate dies, or the
   * execution ends (a limit, a cancel).
   */
  private async enter(start: () => Promise<unknown>, until: 'task' | 'channel'): Promise<void> {
    if (this.terminal !== undefined) return;
    const entry = new Entry();
    this.entry = entry;
    const stopWatching = watchEntry(entry, {
      cpuLeftMs: () => this.limits.cpuTime - this.budget.cpuUsedMs(),
      disposedByLimit: () => this.sandbox.disposedByLimit,
      ended: () => this.terminal !== undefined,
      onMemoryExceeded: () => this.setTerminal(limitOutcomes.memory(this.limits.maxMemory)),
      onCpuExceeded: () => this.endWith(limitOutcomes.cpu(this.limits.cpuTime)),
    });
    start().then(
      () => {
        if (until === 'task') entry.finish();
      },
      (error: unknown) => {
        this.onEntryRejected(error);
        if (until === 'task') entry.finish();
      },
    );
    await entry.done;
    stopWatching();
    if (this.entry === entry) this.entry = undefined;
    if (this.terminal === undefined && this.budget.cpuExceeded) {
      this.endWith(limitOutcomes.cpu(this.limits.cpuTime));
    }
  }

  /**
   * The host call of an entry failed. Either the isolate is gone (its memory limit, or this host
   * disposed it for a limit), or isolated-vm reports a promise rejected without a handler during that
   * task: the sandbox goes on, like a browser (unlike Node's crash-on-unhandled-rejection).
   */
  private onEntryRejected(error: unknown): void {
    if (this.sandbox.disposedByLimit) this.setTerminal(limitOutcomes.memory(this.limits.maxMemory));
    else if (this.sandbox.isDisposed || this.sandbox.isLost) this.calls.wake();
    else this.output.log('warn', `Unhandled promise rejection: ${describe(error)}`, undefined);
  }

  private nextClock(): number {
    this.lastClock = Math.max(this.lastClock, Date.now());
    return this.lastClock;
  }

  /** Takes the results ready now and journals them as one delivery step. */
  private takeBatch(): { clock: number; json: string } | undefined {
    const batch = this.calls.takeReady();
    if (batch === undefined) return undefined;
    const clock = this.nextClock();
    this.journal.record({ t: clock, r: batch.results });
    return { clock, json: batch.json };
  }

  /**
   * The channel: the sandbox hands over its outbox at a quiescent point and waits (only its own
   * thread). Results that are ready at once — those of host calls that complete within the microtasks
   * of this turn — go straight back; otherwise the entry ends ('') and the sandbox idles.
   */
  private async onOutbox(outbox: string): Promise<string> {
    try {
      if (this.terminal !== undefined) return this.yieldEntry();
      this.processOutbox(outbox);
      if (this.replaying !== undefined) return this.replayStep(this.replaying);
      if (!this.isTerminal) await this.calls.settledWithinMicrotasks();
      if (this.isTerminal) return this.yieldEntry();
      const batch = this.takeBatch();
      return batch === undefined ? this.yieldEntry() : `[${batch.clock},${batch.json}]`;
    } catch (error) {
      this.setTerminal(
        ended(ExecutionStatus.FAILED, ErrorCode.INTERNAL_ERROR, `Internal runtime error: ${describe(error)}`),
      );
      return this.yieldEntry();
    }
  }

  /** After the start of a replay: the journal's first step, then the channel answers with the rest. */
  private async replayOnward(replay: JournalReplay): Promise<void> {
    if (this.terminal !== undefined) return;
    const step = replay.next();
    if (step === undefined) return;
    if ('failure' in step) {
      this.setTerminal(step.failure);
      return;
    }
    await this.enter(() => this.sandbox.step(step.clock, step.json), 'channel');
  }

  private replayStep(replay: JournalReplay): string {
    if (this.terminal !== undefined) return this.yieldEntry();
    const step = replay.next();
    if (step === undefined) return this.yieldEntry();
    if ('failure' in step) {
      this.setTerminal(step.failure);
      return this.yieldEntry();
    }
    return `[${step.clock},${step.json}]`;
  }

  /**
   * The sandbox yields: the entry ends once the answer reached it (after this turn), so nothing here
   * calls the isolate synchronously while it still waits on the channel.
   */
  private yieldEntry(): string {
    const entry = this.entry;
    if (entry !== undefined) setImmediate(entry.finish);
    return '';
  }

  // ---- the outbox ----------------------------------------------------------------------------------

  private processOutbox(outbox: string): void {
    for (const message of decodeOutbox(outbox)) {
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
      case 'limit':
        this.endWith(limitOutcomes.memory(this.limits.maxMemory));
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
    if (this.replaying !== undefined) {
      this.setTerminal(replayMismatch('the execution finished before the point where it paused'));
      return;
    }
    if (message.kind === 'completed') {
      const { value, hasValue } = message;
      if (hasValue && Buffer.byteLength(JSON.stringify(value) ?? '') > this.limits.maxResultBytes) {
        this.done = limitOutcomes.resultTooLarge(this.limits.maxResultBytes);
      } else {
        this.done = { kind: 'completed', value, hasValue };
        this.endedCleanly = true;
      }
    } else if (message.kind === 'unserializable') {
      this.done =
        message.code === ErrorCode.RESULT_TOO_LARGE
          ? limitOutcomes.resultTooLarge(this.limits.maxResultBytes)
          : ended(ExecutionStatus.FAILED, ErrorCode.RESULT_NOT_SERIALIZABLE, String(message.message));
    } else {
      this.done = failureFromSandbox(message.failure, this.positionMapper);
      this.endedCleanly = true;
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
    if (this.replaying !== undefined) return;
    // LLM calls have their own budget (maxLLMCalls), so raising it is not undone by maxToolCalls.
    if (op !== 'timer' && !op.startsWith('llm.') && ++this.counters.hostCalls > this.limits.maxToolCalls) {
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
    applyClientAnswer(this, record, result);
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
      ...(this.preludeLength > 0 ? { preludeLength: this.preludeLength } : {}),
      ...(this.positions === undefined ? {} : { positions: this.positions }),
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
   * A durable resume: re-runs the code in this execution's fresh sandbox, answering every host call
   * from the journal (no handler runs again) until it stands where it paused, then takes over the
   * paused state. Resolves to an outcome when the replay failed.
   */
  async replay(state: PausedState, journal: JournalEntry[]): Promise<Outcome | undefined> {
    const replay = new JournalReplay(this.calls, this.events, journal, this.startClock);
    this.replaying = replay;
    this.output.replaying = true;
    const compileFailure = await this.startSandbox();
    if (compileFailure !== undefined) return replayMismatch('the stored code no longer compiles');
    if (this.terminal !== undefined) return this.terminal;
    const mismatch = replay.verifyPending(state);
    if (mismatch !== undefined) return mismatch;
    for (const record of state.pending) this.pending.set(record.id, record);
    Object.assign(this.counters, state.counters);
    this.journal.restore(state.journalLength);
    this.pauseSeq = state.pauseSeq;
    this.budget.restore(state.activeMs, state.cpuMs);
    this.lastClock = Math.max(replay.clock, state.lastClock);
    this.replaying = undefined;
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
      logQuota: this.output.quota,
      pending: this.pending.values(),
    });
  }
}
