import { randomUUID } from 'node:crypto';
import {
  ATPError,
  type CallbackResult,
  type ClientServices,
  ErrorCode,
  ExecuteRequestSchema,
  type ExecutionResult,
  type LogEntry,
  NotFoundError,
  type PlanResult,
  type ProgressEvent,
  parseOrThrow,
  ResumeRequestSchema,
} from '@agent-tool-protocol/protocol';
import type { Executor } from '@agent-tool-protocol/runtime';
import type { ClientAuth } from '../clients/client-auth.js';
import type { EngineConfig } from '../config/engine-config.js';
import type { PlanService } from '../plans/plan-service.js';
import type { DurableStateMeter } from '../quotas/durable-state-meter.js';
import { sleep } from '../sleep.js';
import type { ExecutionObserver } from '../telemetry/execution-observer.js';
import type { TypecheckGate } from '../typecheck/typecheck-gate.js';
import type { ConcurrencyLimiter } from './concurrency.js';
import { requestedLimits } from './executor-config.js';
import { preflight } from './preflight.js';

/** Streams an execution's `atp.log` / `atp.progress` events while it runs. */
export interface StreamListeners {
  onLog?(entry: LogEntry): void;
  onProgress?(event: ProgressEvent): void;
}

export interface ExecutionServiceOptions {
  config: EngineConfig;
  executor: () => Executor;
  clients: ClientAuth;
  observer: ExecutionObserver;
  plans: PlanService;
  typecheck: TypecheckGate;
  limiter: ConcurrencyLimiter;
  /** Knows how many paused executions each client holds, on every instance. */
  durableState: DurableStateMeter;
}

/**
 * Execute, plan, resume and cancel for authenticated clients: the request checks (limits, type check,
 * plans) around the runtime's executor, traced and accounted by the observer.
 */
export class ExecutionService {
  private draining = false;

  constructor(private readonly options: ExecutionServiceOptions) {}

  /** `internal.executionId`: the id a planning run was bound to (see `plan`). */
  async execute(
    clientId: string,
    body: unknown,
    listeners: StreamListeners = {},
    internal: { executionId?: string } = {},
  ): Promise<ExecutionResult> {
    const parsed = parseOrThrow(ExecuteRequestSchema, body, 'execute request');
    this.assertAccepting();
    const { clients, durableState, limiter, observer } = this.options;
    const session = await clients.requireSession(clientId);
    await durableState.assertRoom(clientId);
    const release = limiter.acquire(clientId);
    try {
      const config = parsed.config ?? {};
      const requested = Object.entries(config.clientServices ?? {}).filter(
        ([, value]) => value !== undefined,
      );
      const services: ClientServices = { ...session.services, ...Object.fromEntries(requested) };
      const ready = await preflight(
        {
          typecheck: this.options.typecheck,
          plans: this.options.plans,
          defaultTypecheck: this.options.config.execution.typecheck,
          newExecutionId: randomUUID,
        },
        { clientId, code: parsed.code, config, services, tools: session.tools, ...internal },
      );
      if (ready.rejected) return ready.rejected;
      const result = await observer.traceExecute(clientId, () =>
        this.options.executor().execute(parsed.code, {
          ...(ready.executionId ? { executionId: ready.executionId } : {}),
          clientId,
          services,
          clientTools: session.tools.map((tool) => ({
            name: tool.name,
            ...(tool.namespace ? { namespace: tool.namespace } : {}),
            ...(tool.metadata ? { metadata: tool.metadata } : {}),
            ...(tool.inputSchema ? { inputSchema: tool.inputSchema } : {}),
          })),
          limits: requestedLimits(config),
          ...listeners,
        }),
      );
      return await ready.finish(result);
    } finally {
      release();
    }
  }

  /**
   * Runs `code` with every side effect recorded instead of performed and answers the plan: its
   * `planId` and `effects` (docs/plans.md). A paused plan continues with `resume`.
   */
  async plan(clientId: string, body: unknown, listeners: StreamListeners = {}): Promise<PlanResult> {
    const parsed = parseOrThrow(ExecuteRequestSchema, body, 'plan request');
    const stubs = parsed.config?.stubs;
    await this.options.clients.requireSession(clientId);
    const { planId, executionId } = await this.options.plans.begin(
      clientId,
      typeof stubs === 'object' && stubs !== null ? (stubs as Record<string, unknown>) : undefined,
    );
    const result = await this.execute(clientId, parsed, listeners, { executionId });
    return { effects: [], ...result, planId };
  }

  async resume(
    clientId: string,
    executionId: string,
    body: unknown,
    listeners: StreamListeners = {},
  ): Promise<ExecutionResult> {
    const parsed = parseOrThrow(ResumeRequestSchema, body, 'resume request');
    this.assertAccepting();
    const results: CallbackResult[] =
      'results' in parsed && Array.isArray(parsed.results)
        ? (parsed.results as CallbackResult[])
        : [{ id: '', result: (parsed as { result: unknown }).result }];
    const release = this.options.limiter.acquire(clientId);
    try {
      const result = await this.options.observer.traceResume(clientId, executionId, parsed, () =>
        this.options
          .executor()
          .resume(executionId, results, { clientId, ...listeners })
          .catch((error: unknown) => {
            throw this.explainNotFound(error, executionId);
          }),
      );
      return await this.options.plans.decorate(result);
    } finally {
      release();
    }
  }

  async cancel(clientId: string, executionId: string): Promise<boolean> {
    const cancelled = await this.options.executor().cancel(executionId, { clientId });
    if (!cancelled) {
      throw new NotFoundError(`Execution "${executionId}" was not found.`, ErrorCode.EXECUTION_NOT_FOUND);
    }
    return true;
  }

  get accepting(): boolean {
    return !this.draining;
  }

  /** Stops accepting executions and waits up to `graceMs` for the running ones. */
  async drain(graceMs: number): Promise<void> {
    this.draining = true;
    const deadline = Date.now() + graceMs;
    while (this.options.limiter.running > 0 && Date.now() < deadline) await sleep(25);
  }

  /** A resume of an unknown execution says why it may be unknown, the pause bounds included. */
  private explainNotFound(error: unknown, executionId: string): unknown {
    if (!(error instanceof NotFoundError) || error.code !== ErrorCode.EXECUTION_NOT_FOUND) return error;
    const { ttl, maxPauseDuration } = this.options.config.executionState;
    return new NotFoundError(
      `Execution "${executionId}" was not found: it does not exist, belongs to another client, or its pause expired (a pause lasts at most ${Math.min(ttl, maxPauseDuration)} s: executionState.ttl ${ttl} s, maxPauseDuration ${maxPauseDuration} s).`,
      ErrorCode.EXECUTION_NOT_FOUND,
    );
  }

  private assertAccepting(): void {
    if (this.draining) {
      throw new ATPError(
        ErrorCode.SERVICE_UNAVAILABLE,
        'The server is shutting down and accepts no new work.',
        {
          httpStatus: 503,
          retryable: true,
        },
      );
    }
  }
}
