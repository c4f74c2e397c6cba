import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import {
  type CallbackResult,
  ClientServicesSchema,
  ConflictError,
  ErrorCode,
  type ExecutionResult,
  ExecutionStatus,
  isATPError,
  MemoryCache,
  NotFoundError,
  ValidationError,
} from '@agent-tool-protocol/protocol';
import { validateExecuteOptions, validateExecutorConfig } from './config.js';
import { ExecutionStore, keys, type PausedState } from './durable/store.js';
import { type ExecutionDeps, type LegListeners, SILENT_LOGGER } from './execution/deps.js';
import { Execution } from './execution/execution.js';
import { ended, type Outcome } from './execution/outcome.js';
import { randomSeed } from './execution/seeds.js';
import { describe } from './execution/values.js';
import { clampLimits, DEFAULT_QUOTAS } from './limits.js';
import { stripTypes } from './sandbox/agent-code.js';
import { SandboxPool } from './sandbox/pool.js';
import type { Sandbox } from './sandbox/sandbox.js';
import type { ExecuteOptions, Executor, ExecutorConfig, ExecutorStats, ResumeOptions } from './types.js';

const DISPOSED = { message: 'The executor was disposed.', code: ErrorCode.CANCELLED };

/** Executions an isolate serves (each in a fresh context) by default. */
const DEFAULT_ISOLATE_MAX_USES = 100;
/** An isolate with more heap than this after an execution is retired rather than reused. */
const REUSE_MAX_HEAP_BYTES = 16 * 1024 * 1024;
/** Released isolates kept for reuse, at most (with the pool's size if larger). */
const REUSE_MAX_IDLE = 64;
/** Sandboxes a burst left beyond the pool's size are retired when unneeded for this long. */
const REUSE_TRIM_INTERVAL_MS = 30_000;

interface HotEntry {
  execution: Execution;
  timer: NodeJS.Timeout;
  /** Heap bytes the isolate used when it paused. */
  bytes: number;
}

/**
 * Creates the in-process execution engine. It holds no HTTP: the server (or a library user)
 * calls execute/resume/cancel and maps thrown AtpErrors to responses.
 */
export function createExecutor(config: ExecutorConfig): Executor {
  validateExecutorConfig(config);
  return new SandboxExecutor(config);
}

class SandboxExecutor implements Executor {
  private readonly deps: ExecutionDeps;
  private readonly pool: SandboxPool;
  private readonly store: ExecutionStore;
  private readonly active = new Map<string, Execution>();
  /** Executions this instance is resuming (it holds their lock). */
  private readonly resuming = new Set<string>();
  /** Hot paused executions, oldest first (Map iteration order). */
  private readonly hot = new Map<string, HotEntry>();
  private readonly maxHotPaused: number;
  private readonly maxHotPausedBytes: number;
  private hotBytes = 0;
  private readonly ttlSeconds: number;
  private disposed = false;

  constructor(private readonly config: ExecutorConfig) {
    const cache = config.cache ?? new MemoryCache();
    this.ttlSeconds = config.pausedStateTTLSeconds ?? 3600;
    this.maxHotPaused = config.maxHotPaused ?? 100;
    this.maxHotPausedBytes = (config.maxHotPausedMemoryMB ?? 1024) * 1024 * 1024;
    this.store = new ExecutionStore(cache, this.ttlSeconds);
    const logger = config.logger ?? SILENT_LOGGER;
    this.deps = {
      dispatcher: config.dispatcher,
      hooks: config.hooks ?? {},
      cache,
      userCache: config.userCache ?? {
        get: (clientId, key) => cache.get(keys.userCache(clientId, key)),
        set: (clientId, key, value, ttl) => cache.set(keys.userCache(clientId, key), value, ttl),
        delete: (clientId, key) => cache.delete(keys.userCache(clientId, key)),
      },
      quotas: { ...DEFAULT_QUOTAS, ...config.quotas },
      store: this.store,
      logger,
      onApproval: config.onApproval,
      validateClientToolInput: config.validateClientToolInput,
      emit: (event) => {
        try {
          config.onEvent?.(event);
        } catch (error) {
          logger.warn({ err: error }, 'onEvent listener threw');
        }
      },
      onLog: config.onLog,
      onProgress: config.onProgress,
    };
    const poolLimits = clampLimits(undefined, config.defaultLimits, config.maxLimits);
    this.pool = new SandboxPool(
      config.isolatePoolSize ?? 2,
      poolLimits.maxMemory,
      logger,
      config.containCatastrophicErrors ?? false,
      {
        maxUses: config.isolateMaxUses ?? DEFAULT_ISOLATE_MAX_USES,
        maxHeapBytes: REUSE_MAX_HEAP_BYTES,
        maxIdle: Math.max(config.isolatePoolSize ?? 2, REUSE_MAX_IDLE),
        trimIntervalMs: REUSE_TRIM_INTERVAL_MS,
        maxPreparing: Math.max(2, availableParallelism()),
      },
    );
    // Loads the TypeScript stripper (a wasm module) now rather than on the first request.
    stripTypes('');
  }

  async execute(code: string, options: ExecuteOptions): Promise<ExecutionResult> {
    this.assertOpen();
    validateExecuteOptions(code, options);
    const executionId = options.executionId ?? randomUUID();
    const { clientId } = options;
    if (
      options.executionId !== undefined &&
      (this.active.has(executionId) ||
        this.hot.has(executionId) ||
        (await this.store.load(executionId)) !== undefined)
    ) {
      throw new ConflictError(`Execution ${executionId} already exists`, ErrorCode.CONFLICT);
    }
    const limits = clampLimits(options.limits, this.config.defaultLimits, this.config.maxLimits);
    const started = performance.now();
    this.deps.emit({ type: 'execution_start', executionId, clientId });
    const early = (
      status: ExecutionResult['status'],
      error: { message: string; code: string; line?: number; column?: number },
    ) => this.finishEarly(executionId, clientId, status, error, started);

    const codeBytes = Buffer.byteLength(code);
    if (codeBytes > limits.maxCodeBytes) {
      return early(ExecutionStatus.VALIDATION_FAILED, {
        message: `The code is ${codeBytes} bytes, more than maxCodeBytes (${limits.maxCodeBytes}).`,
        code: ErrorCode.CODE_TOO_LARGE,
      });
    }
    const stripped = stripTypes(code);
    if (!stripped.ok) return early(ExecutionStatus.FAILED, stripped.error);
    let body = stripped.body;
    let preludeLength = 0;
    let positions = stripped.positions;
    if (this.deps.hooks.transformCode !== undefined) {
      try {
        const transformed: unknown = await this.deps.hooks.transformCode(body, { executionId, clientId });
        if (typeof transformed !== 'string') throw new TypeError('transformCode must return a string');
        // A transform that only prepends (a provenance seal) keeps the agent's line and column numbers.
        if (transformed.endsWith(body)) preludeLength = transformed.length - body.length;
        else positions = undefined;
        body = transformed;
      } catch (error) {
        return early(ExecutionStatus.SECURITY_VIOLATION, {
          message: `The code was rejected by transformCode: ${describe(error)}`,
          code: ErrorCode.SECURITY_VIOLATION,
        });
      }
    }

    const sandbox = await this.takeSandbox(limits.maxMemory);
    if (sandbox === undefined) return early(ExecutionStatus.CANCELLED, DISPOSED);
    const execution = new Execution(this.deps, sandbox, {
      executionId,
      clientId,
      body,
      preludeLength,
      ...(positions === undefined ? {} : { positions }),
      seed: randomSeed(),
      startClock: Date.now(),
      limits,
      services: ClientServicesSchema.parse(options.services ?? {}),
      clientTools: (options.clientTools ?? []).map((tool) => ({ ...tool })),
    });
    this.active.set(executionId, execution);
    let outcome: Outcome;
    try {
      outcome = await execution.runFirstLeg(listenersOf(options));
    } catch (error) {
      outcome = internalFailure(error);
    }
    return this.settle(execution, outcome, false);
  }

  async resume(
    executionId: string,
    results: CallbackResult[],
    options: ResumeOptions,
  ): Promise<ExecutionResult> {
    this.assertOpen();
    const notFound = () =>
      new NotFoundError(`Execution ${executionId} was not found`, ErrorCode.EXECUTION_NOT_FOUND);
    if (typeof executionId !== 'string' || executionId === '') throw notFound();
    if (this.active.get(executionId)?.clientId === options.clientId && !this.resuming.has(executionId)) {
      throw new ConflictError(
        `Execution ${executionId} is running, not paused`,
        ErrorCode.EXECUTION_NOT_PAUSED,
      );
    }
    const state = await this.store.load(executionId);
    if (state === undefined || state.clientId !== options.clientId) throw notFound();
    if (state.status !== 'paused') {
      throw new ConflictError(
        `Execution ${executionId} is not paused (its status is ${state.status})`,
        ErrorCode.EXECUTION_NOT_PAUSED,
      );
    }
    const token = randomUUID();
    const lockTTL = Math.ceil(state.limits.timeout / 1000) * 2 + 30;
    if (!(await this.store.lock(executionId, token, lockTTL))) {
      throw new ConflictError(
        `A resume of execution ${executionId} is already running`,
        ErrorCode.RESUME_IN_PROGRESS,
      );
    }
    this.resuming.add(executionId);
    // A long replay may outlive the lock's TTL: keep extending it while this resume runs.
    const renewal = setInterval(
      () => {
        this.store.renewLock(executionId, lockTTL).catch(() => undefined);
      },
      (lockTTL * 1000) / 3,
    );
    renewal.unref();
    try {
      // Re-read under the lock: another resume may have finished between the first read and the lock.
      const current = await this.store.load(executionId);
      if (current === undefined || current.clientId !== options.clientId) throw notFound();
      if (current.status !== 'paused') {
        throw new ConflictError(
          `Execution ${executionId} is not paused (its status is ${current.status})`,
          ErrorCode.EXECUTION_NOT_PAUSED,
        );
      }
      const answers = matchResults(current, results);
      const execution = await this.revive(current);
      if (!(execution instanceof Execution)) return execution;
      this.active.set(executionId, execution);
      let outcome: Outcome;
      try {
        outcome = await execution.runResumeLeg(answers, listenersOf(options));
      } catch (error) {
        outcome = internalFailure(error);
      }
      return await this.settle(execution, outcome, true);
    } finally {
      clearInterval(renewal);
      this.resuming.delete(executionId);
      await this.store.unlock(executionId, token).catch(() => undefined);
    }
  }

  /** The hot isolate when it is current, else a replay of the journal in a fresh sandbox. */
  private async revive(state: PausedState): Promise<Execution | ExecutionResult> {
    const { executionId, clientId } = state;
    const entry = this.takeHot(executionId);
    if (entry !== undefined) {
      if (entry.execution.pauseSeq === state.pauseSeq && !entry.execution.sandbox.isDisposed) {
        this.deps.emit({ type: 'execution_resume', executionId, clientId, mode: 'hot' });
        return entry.execution;
      }
      this.pool.release(entry.execution.sandbox);
    }
    this.deps.emit({ type: 'execution_resume', executionId, clientId, mode: 'durable' });
    const journal = await this.store.journal(executionId, state.journalLength);
    if (journal.length !== state.journalLength) {
      return this.failDurable(state, 'the journal is incomplete (it expired or was evicted from the cache)');
    }
    const sandbox = await this.takeSandbox(state.limits.maxMemory);
    if (sandbox === undefined) {
      // The paused state stays stored: another executor (instance) may still resume it.
      return this.finishEarly(executionId, clientId, ExecutionStatus.CANCELLED, DISPOSED, performance.now());
    }
    const execution = new Execution(this.deps, sandbox, {
      executionId,
      clientId,
      body: state.body,
      ...(state.preludeLength === undefined ? {} : { preludeLength: state.preludeLength }),
      ...(state.positions === undefined ? {} : { positions: state.positions }),
      seed: state.seed,
      startClock: state.startClock,
      limits: state.limits,
      services: state.services,
      clientTools: state.clientTools,
    });
    this.active.set(executionId, execution);
    let failure: Outcome | undefined;
    try {
      failure = await execution.replay(state, journal);
    } catch (error) {
      failure = internalFailure(error);
    }
    if (failure === undefined) return execution;
    return this.settle(execution, failure, true);
  }

  private async failDurable(state: PausedState, reason: string): Promise<ExecutionResult> {
    const error = { message: `Durable resume failed: ${reason}.`, code: ErrorCode.NONDETERMINISTIC_REPLAY };
    await this.store.saveFinished({
      v: 1,
      status: ExecutionStatus.FAILED,
      executionId: state.executionId,
      clientId: state.clientId,
    });
    this.deps.emit({
      type: 'execution_end',
      executionId: state.executionId,
      clientId: state.clientId,
      status: ExecutionStatus.FAILED,
      durationMs: state.activeMs,
    });
    return {
      executionId: state.executionId,
      status: ExecutionStatus.FAILED,
      error,
      stats: {
        duration: state.activeMs,
        llmCallsCount: state.counters.llm,
        approvalCallsCount: state.counters.approval,
        toolCallsCount: state.counters.tools,
      },
      logs: [],
    };
  }

  /** Turns a leg's outcome into the result: persists a pause (and keeps it hot) or finishes. */
  private async settle(
    execution: Execution,
    outcome: Outcome,
    hasDurableState: boolean,
  ): Promise<ExecutionResult> {
    const { executionId, clientId } = execution;
    if (outcome.kind === 'paused' && !this.disposed) {
      try {
        await execution.persistPause();
      } catch (error) {
        // A host quota on durable state (the cache provider refused the write) keeps its code and details.
        const quota = isATPError(error) && error.code === ErrorCode.QUOTA_EXCEEDED;
        outcome = ended(
          ExecutionStatus.FAILED,
          quota ? ErrorCode.QUOTA_EXCEEDED : ErrorCode.PROVIDER_ERROR,
          `The paused state could not be saved: ${describe(error)}`,
          quota && error.details !== undefined ? { details: error.details } : {},
        );
        execution.cancel();
      }
    } else if (outcome.kind === 'paused') {
      outcome = ended(ExecutionStatus.CANCELLED, ErrorCode.CANCELLED, 'The executor was disposed.');
    }
    this.active.delete(executionId);
    const result = execution.toResult(outcome);
    this.pool.refillSoon();
    if (outcome.kind === 'paused') {
      this.keepHot(execution);
      this.deps.emit({
        type: 'execution_pause',
        executionId,
        clientId,
        callbacks: result.needsCallbacks?.length ?? 0,
      });
      return result;
    }
    this.pool.release(execution.sandbox, execution.isolateReusable, execution.memoryUsedBytes);
    await execution.journalWrites();
    if (hasDurableState || execution.hasJournal) {
      await this.store
        .saveFinished({
          v: 1,
          status: result.status as Exclude<typeof result.status, 'paused'>,
          executionId,
          clientId,
        })
        .catch((error: unknown) =>
          this.deps.logger.warn({ err: error, executionId }, 'could not save the final state'),
        );
    }
    this.deps.emit({
      type: 'execution_end',
      executionId,
      clientId,
      status: result.status,
      durationMs: result.stats.duration,
    });
    return result;
  }

  private keepHot(execution: Execution): void {
    if (this.maxHotPaused <= 0) {
      this.pool.release(execution.sandbox);
      return;
    }
    const timer = setTimeout(() => this.evict(execution.executionId), this.ttlSeconds * 1000);
    timer.unref();
    const bytes = execution.memoryUsedBytes ?? 0;
    this.hot.set(execution.executionId, { execution, timer, bytes });
    this.hotBytes += bytes;
    while (
      this.hot.size > this.maxHotPaused ||
      (this.hot.size > 1 && this.hotBytes > this.maxHotPausedBytes)
    ) {
      const oldest = this.hot.keys().next().value as string;
      this.evict(oldest);
    }
  }

  /** Removes a hot entry (to resume it or to evict it). */
  private takeHot(executionId: string): HotEntry | undefined {
    const entry = this.hot.get(executionId);
    if (entry === undefined) return undefined;
    this.hot.delete(executionId);
    this.hotBytes -= entry.bytes;
    clearTimeout(entry.timer);
    return entry;
  }

  /** Frees a hot isolate; its paused state and journal stay in the cache for a durable resume. */
  private evict(executionId: string): void {
    const entry = this.takeHot(executionId);
    if (entry !== undefined) this.pool.release(entry.execution.sandbox);
  }

  async cancel(executionId: string, options: { clientId: string }): Promise<boolean> {
    const running = this.active.get(executionId);
    if (running !== undefined) {
      if (running.clientId !== options.clientId) return false;
      running.cancel();
      return true;
    }
    const state = await this.store.load(executionId);
    if (state === undefined || state.clientId !== options.clientId || state.status !== 'paused') return false;
    const token = randomUUID();
    if (!(await this.store.lock(executionId, token, 30))) return false;
    try {
      this.evict(executionId);
      await this.store.saveFinished({
        v: 1,
        status: ExecutionStatus.CANCELLED,
        executionId,
        clientId: state.clientId,
      });
      this.deps.emit({
        type: 'execution_end',
        executionId,
        clientId: state.clientId,
        status: ExecutionStatus.CANCELLED,
        durationMs: state.activeMs,
      });
      return true;
    } finally {
      await this.store.unlock(executionId, token).catch(() => undefined);
    }
  }

  async getPendingCallbacks(
    executionId: string,
    clientId: string,
  ): Promise<ExecutionResult['needsCallbacks']> {
    const state = await this.store.load(executionId);
    if (state === undefined || state.clientId !== clientId || state.status !== 'paused') return undefined;
    return state.pending.map(({ id, type, operation, payload }) => ({ id, type, operation, payload }));
  }

  stats(): ExecutorStats {
    return {
      activeExecutions: this.active.size,
      hotPaused: this.hot.size,
      pooledIsolates: this.pool.available,
      isolatesCreated: this.pool.created,
      isolatesLost: this.pool.lost,
    };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const execution of this.active.values()) execution.cancel();
    for (const executionId of [...this.hot.keys()]) this.evict(executionId);
    await this.pool.close();
  }

  /**
   * A fresh sandbox, or undefined when the executor is disposed before one is ready (a request waiting in
   * the pool at `dispose()` ends cancelled, like the executions already running).
   */
  private async takeSandbox(memoryLimitMB: number): Promise<Sandbox | undefined> {
    let sandbox: Sandbox;
    try {
      sandbox = await this.pool.take(memoryLimitMB);
    } catch (error) {
      if (this.disposed) return undefined;
      throw error;
    }
    if (!this.disposed) return sandbox;
    this.pool.release(sandbox);
    return undefined;
  }

  private assertOpen(): void {
    if (this.disposed) throw new ConflictError('The executor was disposed', ErrorCode.CONFLICT);
  }

  private finishEarly(
    executionId: string,
    clientId: string,
    status: ExecutionResult['status'],
    error: ExecutionResult['error'] & object,
    started: number,
  ): ExecutionResult {
    const duration = performance.now() - started;
    this.deps.emit({ type: 'execution_end', executionId, clientId, status, durationMs: duration });
    return {
      executionId,
      status,
      error,
      stats: { duration, llmCallsCount: 0, approvalCallsCount: 0, toolCallsCount: 0 },
      logs: [],
    };
  }
}

function listenersOf(options: {
  onLog?: LegListeners['onLog'];
  onProgress?: LegListeners['onProgress'];
}): LegListeners {
  const listeners: LegListeners = {};
  if (options.onLog) listeners.onLog = options.onLog.bind(options);
  if (options.onProgress) listeners.onProgress = options.onProgress.bind(options);
  return listeners;
}

function internalFailure(error: unknown): Outcome {
  return ended(
    ExecutionStatus.FAILED,
    ErrorCode.INTERNAL_ERROR,
    `Internal runtime error: ${describe(error)}`,
  );
}

/**
 * Matches client answers to pending callbacks by id. A single answer with id `''` answers the only
 * pending callback (the wire form `{result}`). Unknown or duplicate ids are a ValidationError.
 */
function matchResults(state: PausedState, results: CallbackResult[]): { id: string; result: unknown }[] {
  if (!Array.isArray(results) || results.length === 0) {
    throw new ValidationError('results: expected at least one callback result', [
      { path: 'results', message: 'expected at least one callback result' },
    ]);
  }
  const pendingIds = new Set(state.pending.map((record) => record.id));
  const seen = new Set<string>();
  return results.map((entry, index) => {
    let id = typeof entry?.id === 'string' ? entry.id : '';
    if (id === '') {
      if (results.length !== 1 || pendingIds.size !== 1) {
        throw new ValidationError(
          `results.${index}.id: an id is required when ${pendingIds.size} callbacks are pending (${[...pendingIds].join(', ')})`,
          [{ path: `results.${index}.id`, message: 'required when several callbacks are pending' }],
        );
      }
      id = [...pendingIds][0]!;
    }
    if (!pendingIds.has(id)) {
      throw new ValidationError(
        `results.${index}.id: callback "${id}" is not pending (pending: ${[...pendingIds].join(', ') || 'none'})`,
        [{ path: `results.${index}.id`, message: `callback "${id}" is not pending` }],
      );
    }
    if (seen.has(id)) {
      throw new ValidationError(`results.${index}.id: callback "${id}" is answered twice`, [
        { path: `results.${index}.id`, message: `callback "${id}" is answered twice` },
      ]);
    }
    seen.add(id);
    return { id, result: entry.result };
  });
}
