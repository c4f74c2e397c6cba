import {
  type ClientServices,
  ErrorCode,
  type ExecutionLimits,
  type ExecutionResult,
  ExecutionStatus,
  isCallbackError,
  type LogEntry,
  type ResolvedFunction,
  type ToolCallContext,
  type ToolCallDecision,
} from '@agent-tool-protocol/protocol';
import type { CounterState, JournalEntry, PausedState, PendingRecord } from '../durable/store.js';
import { keys } from '../durable/store.js';
import { type EntryOutput, type Sandbox, SandboxEntryError } from '../sandbox/sandbox.js';
import type { ClientToolRef } from '../types.js';
import { buildCallbackPayload, CALLBACK_OPS, type CallbackOp, isCallbackOp } from './callback-payloads.js';
import type { ExecutionDeps, LegListeners } from './deps.js';
import {
  ended,
  failureFromSandbox,
  limitOutcomes,
  type Outcome,
  type SandboxFailureInfo,
} from './outcome.js';
import { describe, digest, errorInfoFromHost, type SandboxErrorInfo, toJsonText } from './values.js';

interface CallInfo {
  op: string;
  key: string;
  args: Record<string, unknown>;
}

type ToolTarget = { kind: 'api'; fn: ResolvedFunction } | { kind: 'client'; tool: ClientToolRef };

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
const MAX_CACHE_KEY = 512;

/**
 * One execution: drives its sandbox through the mailbox, answers host calls, enforces limits,
 * records the journal, and decides when it is paused (only client callbacks left) or done.
 */
export class Execution {
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
  private readonly clientTools = new Map<string, ClientToolRef>();
  private counters: CounterState = { llm: 0, approval: 0, tools: 0, hostCalls: 0 };
  private journalLength = 0;
  private unflushed: JournalEntry[] = [];
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
    for (const tool of params.clientTools)
      this.clientTools.set(`${tool.namespace ?? 'client'}.${tool.name}`, tool);
  }

  // ---- legs ------------------------------------------------------------------------------------

  /** Compiles and starts the agent code, then runs until paused or finished. */
  async runFirstLeg(listeners: LegListeners): Promise<Outcome> {
    return this.leg(listeners, async () => {
      this.sandbox.setup({ seed: this.seed, maxResultBytes: this.limits.maxResultBytes });
      const main = await this.enter(() => this.sandbox.compile(this.body));
      if (main === undefined) return;
      if ('code' in main) {
        this.setTerminal({ kind: 'ended', status: ExecutionStatus.FAILED, error: main });
        return;
      }
      const outbox = await this.enter(() => this.sandbox.start(main, this.startClock, this.entryBudget().ms));
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
    this.unflushed.push({ t: clock, r: results });
    this.journalLength++;
    const outbox = await this.enter(() => this.sandbox.step(clock, `${batch}]`, this.entryBudget().ms));
    if (outbox !== undefined) this.processEntry(outbox);
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
    this.logs.push(entry);
    this.listeners.onLog?.(entry);
    this.deps.onLog?.({ ...entry, executionId: this.executionId, clientId: this.clientId });
    this.deps.logger[level](
      { executionId: this.executionId, clientId: this.clientId, source: 'agent', data: entry.data },
      entry.message,
    );
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
      this.onApiCall(id, record);
      return;
    }
    if (op === 'timer') {
      this.onTimer(id, record);
      return;
    }
    if (op === 'cache.get' || op === 'cache.set' || op === 'cache.delete') {
      this.onCacheCall(id, op, record);
      return;
    }
    if (isCallbackOp(op)) {
      this.onCallbackRequest(id, op, record);
      return;
    }
    this.reject(id, {
      name: 'TypeError',
      message: `Unknown host operation ${op}`,
      code: ErrorCode.RUNTIME_ERROR,
    });
  }

  // ---- results into the sandbox ----------------------------------------------------------------------

  private resolve(id: number, value: unknown): void {
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

  private reject(id: number, info: SandboxErrorInfo): void {
    this.ready.push([id, 0, JSON.stringify(info)]);
    this.wake();
  }

  /** Runs host work that the execution waits for (it is not a client wait, so it blocks pausing). */
  private track(work: Promise<void>): void {
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

  // ---- api.* and client tools ----------------------------------------------------------------------

  private toolTarget(path: string): ToolTarget | undefined {
    const tool = this.clientTools.get(path);
    if (tool !== undefined) return { kind: 'client', tool };
    const fn = this.deps.dispatcher.resolve(path);
    return fn === undefined ? undefined : { kind: 'api', fn };
  }

  private toolContext(target: ToolTarget, input: unknown): ToolCallContext {
    if (target.kind === 'client') {
      return {
        executionId: this.executionId,
        clientId: this.clientId,
        path: `client.${target.tool.name}`,
        group: target.tool.namespace ?? 'client',
        name: target.tool.name,
        input,
        metadata: target.tool.metadata ?? {},
        services: this.services,
      };
    }
    return {
      executionId: this.executionId,
      clientId: this.clientId,
      path: `api.${target.fn.path}`,
      group: target.fn.group,
      name: target.fn.name,
      input,
      metadata: target.fn.metadata ?? {},
      services: this.services,
    };
  }

  private onApiCall(id: number, args: Record<string, unknown>): void {
    const path = typeof args.path === 'string' ? args.path : '';
    const target = this.toolTarget(path);
    if (target === undefined) {
      const suggestions = this.deps.dispatcher.suggest(path, 3);
      const hint =
        suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `api.${s}`).join(', ')}?` : '';
      this.reject(id, {
        name: 'TypeError',
        message: `api.${path} is not a function: no such API function.${hint}`,
        code: ErrorCode.UNKNOWN_FUNCTION,
      });
      return;
    }
    this.counters.tools++;
    this.track(this.runToolCall(id, target, this.toolContext(target, args.input)));
  }

  private async runToolCall(id: number, target: ToolTarget, context: ToolCallContext): Promise<void> {
    const started = performance.now();
    let decision: ToolCallDecision = { action: 'allow' };
    if (this.deps.hooks.beforeToolCall !== undefined) {
      try {
        decision = await this.deps.hooks.beforeToolCall(context);
      } catch (error) {
        decision = { action: 'block', reason: `the beforeToolCall hook failed: ${describe(error)}` };
      }
    }
    if (this.isTerminal) return;
    if (decision.action === 'block') {
      this.block(context, decision.reason, decision.policy, started);
      return;
    }
    if (decision.action === 'approve') {
      this.counters.approval++;
      if (this.services.hasApproval) {
        const callbackId = `cb_${id}_approval`;
        const payload: Record<string, unknown> = { message: decision.message, executionId: this.executionId };
        if (decision.context !== undefined) payload.context = decision.context;
        this.pending.set(callbackId, {
          id: callbackId,
          type: 'approval',
          operation: 'request',
          payload,
          callId: id,
          guard: 'tool-approval',
        });
        this.emitApprovalRequested(decision.message, 'client', callbackId, context.path, decision.policy);
        return;
      }
      if (this.deps.onApproval === undefined) {
        this.block(
          context,
          `it requires approval (${decision.message}) and neither the client nor the server can approve`,
          decision.policy,
          started,
        );
        return;
      }
      this.emitApprovalRequested(decision.message, 'server', undefined, context.path, decision.policy);
      const answer = await this.serverApproval(decision.message, decision.context);
      this.emitApprovalDecided(answer, 'server', context.path);
      if (this.isTerminal) return;
      if (!answer.approved) {
        this.deny(id, context, answer.reason, started);
        return;
      }
    }
    await this.proceed(id, target, context, started);
  }

  private async serverApproval(
    message: string,
    context: unknown,
  ): Promise<{ approved: boolean; reason?: string }> {
    try {
      const answer = await this.deps.onApproval!({
        message,
        context,
        executionId: this.executionId,
        clientId: this.clientId,
      });
      return {
        approved: answer?.approved === true,
        ...(answer?.reason ? { reason: String(answer.reason) } : {}),
      };
    } catch (error) {
      return { approved: false, reason: `the approver failed: ${describe(error)}` };
    }
  }

  private async proceed(
    id: number,
    target: ToolTarget,
    context: ToolCallContext,
    started: number,
  ): Promise<void> {
    if (target.kind === 'client') {
      const callbackId = `cb_${id}`;
      this.pending.set(callbackId, {
        id: callbackId,
        type: 'tool',
        operation: 'call',
        payload: { toolName: target.tool.name, input: context.input },
        callId: id,
      });
      return;
    }
    let value: unknown;
    try {
      value = await target.fn.call(context.input, {
        clientId: this.clientId,
        executionId: this.executionId,
        signal: this.abort.signal,
      });
    } catch (error) {
      this.emitToolCall(context.path, 'error', started);
      this.reject(id, errorInfoFromHost(error));
      return;
    }
    if (this.isTerminal) return;
    if (!(await this.afterToolCall(context, value, started))) return;
    this.emitToolCall(context.path, 'ok', started);
    this.resolve(id, value);
  }

  /** False when the hook rejected the result (the execution then ends as a security violation). */
  private async afterToolCall(context: ToolCallContext, value: unknown, started: number): Promise<boolean> {
    if (this.deps.hooks.afterToolCall === undefined) return true;
    try {
      await this.deps.hooks.afterToolCall(context, value);
      return true;
    } catch (error) {
      this.block(
        context,
        `the afterToolCall hook rejected the result: ${describe(error)}`,
        undefined,
        started,
      );
      return false;
    }
  }

  private block(context: ToolCallContext, reason: string, policy: string | undefined, started: number): void {
    this.deps.emit({
      type: 'policy_violation',
      executionId: this.executionId,
      clientId: this.clientId,
      path: context.path,
      reason,
      ...(policy ? { policy } : {}),
    });
    this.emitToolCall(context.path, 'blocked', started);
    const by = policy ? ` (policy ${policy})` : '';
    this.setTerminal(
      ended(
        ExecutionStatus.SECURITY_VIOLATION,
        ErrorCode.SECURITY_VIOLATION,
        `The call to ${context.path} was blocked${by}: ${reason}`,
      ),
    );
    this.wake();
  }

  private deny(id: number, context: ToolCallContext, reason: string | undefined, started: number): void {
    this.emitToolCall(context.path, 'blocked', started);
    this.reject(id, {
      message: `Approval for ${context.path} was denied${reason ? `: ${reason}` : ''}`,
      code: ErrorCode.APPROVAL_DENIED,
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

  private onCacheCall(
    id: number,
    op: 'cache.get' | 'cache.set' | 'cache.delete',
    args: Record<string, unknown>,
  ): void {
    const key = args.key;
    if (typeof key !== 'string' || key === '' || key.length > MAX_CACHE_KEY) {
      this.reject(id, {
        name: 'TypeError',
        message: `atp.${op} expects a non-empty string key of at most ${MAX_CACHE_KEY} characters`,
        code: ErrorCode.VALIDATION_ERROR,
      });
      return;
    }
    const cacheKey = keys.userCache(this.clientId, key);
    const cache = this.deps.cache;
    this.track(
      (async () => {
        try {
          if (op === 'cache.get') this.resolve(id, await cache.get(cacheKey));
          else if (op === 'cache.delete') this.resolve(id, await cache.delete(cacheKey));
          else {
            const ttl = typeof args.ttl === 'number' && args.ttl > 0 ? args.ttl : undefined;
            await cache.set(cacheKey, args.value ?? null, ttl);
            this.resolve(id, undefined);
          }
        } catch (error) {
          this.reject(id, {
            message: `atp.${op} failed: ${describe(error)}`,
            code: ErrorCode.PROVIDER_ERROR,
          });
        }
      })(),
    );
  }

  private onCallbackRequest(id: number, op: CallbackOp, args: Record<string, unknown>): void {
    const spec = CALLBACK_OPS[op];
    if (spec.type === 'llm' && ++this.counters.llm > this.limits.maxLLMCalls) {
      this.setTerminal(limitOutcomes.llm(this.limits.maxLLMCalls));
      return;
    }
    if (op === 'approval.request') this.counters.approval++;
    const built = buildCallbackPayload(op, args, this.executionId);
    if ('error' in built) {
      this.reject(id, { name: 'TypeError', message: built.error, code: ErrorCode.VALIDATION_ERROR });
      return;
    }
    if (!this.services[spec.service]) {
      if (op === 'approval.request' && this.deps.onApproval !== undefined) {
        const message = String(built.payload.message);
        this.emitApprovalRequested(message, 'server');
        this.track(
          (async () => {
            const answer = await this.serverApproval(message, built.payload.context);
            this.emitApprovalDecided(answer, 'server');
            this.resolve(id, answer);
          })(),
        );
        return;
      }
      this.reject(id, {
        message: `atp.${op} is unavailable: this client did not provide ${spec.what} (services.${spec.service})`,
        code: ErrorCode.SERVICE_UNAVAILABLE,
      });
      return;
    }
    const callbackId = `cb_${id}`;
    this.pending.set(callbackId, {
      id: callbackId,
      type: spec.type,
      operation: spec.operation,
      payload: built.payload,
      callId: id,
    });
    if (spec.type === 'llm') {
      this.deps.emit({
        type: 'llm_call',
        executionId: this.executionId,
        clientId: this.clientId,
        operation: spec.operation,
        callbackId,
      });
    } else if (spec.type === 'approval') {
      this.emitApprovalRequested(String(built.payload.message), 'client', callbackId);
    }
  }

  // ---- answers from the client ------------------------------------------------------------------------

  /** Applies one client answer to a pending callback (the id was validated by the caller). */
  private answer(callbackId: string, result: unknown): void {
    const record = this.pending.get(callbackId);
    if (record === undefined) return;
    this.pending.delete(callbackId);
    const id = record.callId;
    if (record.guard === 'tool-approval') {
      const call = this.calls.get(id);
      const target = call === undefined ? undefined : this.toolTarget(String(call.args.path));
      const approved =
        !isCallbackError(result) &&
        typeof result === 'object' &&
        result !== null &&
        (result as { approved?: unknown }).approved === true;
      const reason = isCallbackError(result)
        ? result.message
        : (result as { reason?: unknown } | null)?.reason;
      const path = target === undefined ? undefined : this.toolContext(target, call?.args.input).path;
      this.emitApprovalDecided(
        { approved, ...(typeof reason === 'string' ? { reason } : {}) },
        'client',
        path,
      );
      if (call === undefined || target === undefined) {
        this.reject(id, {
          message: 'The approved function is no longer available',
          code: ErrorCode.TOOL_ERROR,
        });
        return;
      }
      const context = this.toolContext(target, call.args.input);
      if (!approved) {
        this.deny(id, context, typeof reason === 'string' ? reason : undefined, performance.now());
        return;
      }
      this.track(this.proceed(id, target, context, performance.now()));
      return;
    }
    if (isCallbackError(result)) {
      this.reject(id, { message: result.message, code: ErrorCode.CALLBACK_ERROR });
      return;
    }
    if (record.type === 'approval' && typeof result === 'object' && result !== null) {
      const answer = result as { approved?: unknown; reason?: unknown };
      this.emitApprovalDecided(
        {
          approved: answer.approved === true,
          ...(typeof answer.reason === 'string' ? { reason: answer.reason } : {}),
        },
        'client',
      );
    }
    if (record.type === 'tool') {
      const call = this.calls.get(id);
      const target = call === undefined ? undefined : this.toolTarget(String(call.args.path));
      if (target !== undefined && call !== undefined) {
        const context = this.toolContext(target, call.args.input);
        this.track(
          (async () => {
            const started = performance.now();
            if (!(await this.afterToolCall(context, result, started))) return;
            this.emitToolCall(context.path, 'ok', started);
            this.resolve(id, result);
          })(),
        );
        return;
      }
    }
    this.resolve(id, result);
  }

  // ---- events ------------------------------------------------------------------------------------------

  private emitToolCall(
    path: string,
    status: 'ok' | 'error' | 'blocked',
    started: number,
    replayed = false,
  ): void {
    this.deps.emit({
      type: 'tool_call',
      executionId: this.executionId,
      clientId: this.clientId,
      path,
      status,
      durationMs: performance.now() - started,
      replayed,
    });
  }

  private emitApprovalRequested(
    message: string,
    via: 'client' | 'server',
    callbackId?: string,
    path?: string,
    policy?: string,
  ): void {
    this.deps.emit({
      type: 'approval_requested',
      executionId: this.executionId,
      clientId: this.clientId,
      message,
      via,
      ...(callbackId ? { callbackId } : {}),
      ...(path ? { path } : {}),
      ...(policy ? { policy } : {}),
    });
  }

  private emitApprovalDecided(
    answer: { approved: boolean; reason?: string },
    via: 'client' | 'server',
    path?: string,
  ) {
    this.deps.emit({
      type: 'approval_decided',
      executionId: this.executionId,
      clientId: this.clientId,
      approved: answer.approved,
      via,
      ...(answer.reason ? { reason: answer.reason } : {}),
      ...(path ? { path } : {}),
    });
  }

  // ---- durable state -------------------------------------------------------------------------------------

  /** Persists the journal entries since the last pause and the paused state. */
  async persistPause(): Promise<void> {
    this.pauseSeq++;
    const entries = this.unflushed;
    this.unflushed = [];
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
    this.sandbox.setup({ seed: this.seed, maxResultBytes: this.limits.maxResultBytes });
    const main = await this.enter(() => this.sandbox.compile(this.body));
    if (main !== undefined && 'code' in main)
      return this.replayMismatch('the stored code no longer compiles');
    if (main !== undefined) {
      const outbox = await this.enter(() => this.sandbox.start(main, this.startClock, this.entryBudget().ms));
      if (outbox !== undefined) this.processEntry(outbox);
    }
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
        if (call.op === 'api')
          this.emitToolCall(`api.${String(call.args.path)}`, ok ? 'ok' : 'error', performance.now(), true);
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
    this.counters = { ...state.counters };
    this.journalLength = state.journalLength;
    this.pauseSeq = state.pauseSeq;
    this.activeMs = state.activeMs;
    this.cpuOffsetMs = state.cpuMs - this.sandbox.cpuTimeMs();
    this.lastClock = Math.max(this.lastClock, state.lastClock);
    this.replaying = false;
    return undefined;
  }

  // ---- the wire result -------------------------------------------------------------------------------------

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
      logs:
        this.droppedLogs > 0
          ? [
              ...this.logs,
              {
                level: 'warn',
                message: `${this.droppedLogs} more log entries were dropped`,
                timestamp: Date.now(),
              },
            ]
          : this.logs,
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
