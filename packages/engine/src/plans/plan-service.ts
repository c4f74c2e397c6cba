import { randomUUID } from 'node:crypto';
import type { Catalog } from '@agent-tool-protocol/catalog';
import {
  type APIDispatcher,
  type AuditEventInput,
  type CacheProvider,
  ConflictError,
  ErrorCode,
  type ExecutionHooks,
  type ExecutionResult,
  isTerminalStatus,
  NotFoundError,
  type PlannedEffect,
  type PlanRecord,
  type PlanResult,
  type ResolvedFunction,
  type ToolCallContext,
  type ToolCallDecision,
} from '@agent-tool-protocol/protocol';
import {
  approvalReason,
  effectKey,
  isSideEffect,
  operationOf,
  type PlanBinding,
  type PlanEnforcer,
  synthesizeFromSchema,
  withPlanDispatcher,
  withPlanHooks,
} from '@agent-tool-protocol/provenance';
import { PlanStore } from './plan-store.js';
import type { PlansConfig } from './plans-config.js';

const PLAN_POLICY = 'approved-plan';

export interface PlanServiceOptions {
  config: PlansConfig;
  catalog: Catalog;
  cache: CacheProvider;
  audit: (event: AuditEventInput) => void;
}

const stripApi = (path: string) => (path.startsWith('api.') ? path.slice(4) : path);

/**
 * Plan, then approve once (docs/plans.md): a planning run records every side effect instead of
 * performing it; an approved run may perform exactly the recorded effects.
 */
export class PlanService implements PlanEnforcer {
  private readonly store: PlanStore;

  constructor(private readonly options: PlanServiceOptions) {
    this.store = new PlanStore(options.cache, options.config.ttlSeconds);
  }

  /** The hooks the executor runs: the configured ones, then the plan's. */
  hooks(hooks: ExecutionHooks | undefined): ExecutionHooks {
    return withPlanHooks(hooks, this);
  }

  dispatcher(inner: APIDispatcher): APIDispatcher {
    return withPlanDispatcher(inner, this);
  }

  /** Starts a plan: the returned executionId must be the planning execution's id. */
  async begin(
    clientId: string,
    stubs?: Record<string, unknown>,
  ): Promise<{ planId: string; executionId: string }> {
    const planId = `plan_${randomUUID()}`;
    const executionId = randomUUID();
    const now = Date.now();
    await this.store.save({
      planId,
      clientId,
      executionId,
      status: 'recording',
      effects: [],
      createdAt: now,
      expiresAt: now + this.options.config.ttlSeconds * 1000,
    });
    await this.store.bind(executionId, { mode: 'planning', planId, clientId, ...(stubs ? { stubs } : {}) });
    return { planId, executionId };
  }

  /**
   * Binds the execution `executionId` to the approved plan `planId`: the approval decision.
   * Plans are single-use and belong to the client that made them.
   */
  async approve(clientId: string, planId: string, executionId: string): Promise<PlanRecord> {
    const record = await this.requirePlan(clientId, planId);
    if (record.status === 'recording') {
      throw new ConflictError(
        `Plan "${planId}" is still being recorded: finish (resume) its planning execution first.`,
        ErrorCode.CONFLICT,
      );
    }
    if (record.status !== 'ready' || !(await this.store.claim(planId, executionId))) {
      throw new ConflictError(
        `Plan "${planId}" was already ${record.status === 'rejected' ? 'rejected' : 'used'}; plans are single-use.`,
      );
    }
    await this.store.bind(executionId, { mode: 'approved', planId, clientId });
    const used: PlanRecord = { ...record, status: 'used', approvedExecutionId: executionId };
    await this.store.save(used);
    this.options.audit({
      type: 'plan_decided',
      clientId,
      executionId,
      planId,
      approved: true,
      effects: record.effects.length,
    });
    return used;
  }

  async reject(clientId: string, planId: string, reason?: string): Promise<PlanRecord> {
    const record = await this.requirePlan(clientId, planId);
    if (record.status === 'used' || !(await this.store.claim(planId, 'rejected'))) {
      throw new ConflictError(`Plan "${planId}" was already used or rejected.`);
    }
    const rejected: PlanRecord = { ...record, status: 'rejected' };
    await this.store.save(rejected);
    this.options.audit({
      type: 'plan_decided',
      clientId,
      planId,
      approved: false,
      ...(reason ? { reason } : {}),
    });
    return rejected;
  }

  async get(clientId: string, planId: string): Promise<PlanRecord> {
    return this.requirePlan(clientId, planId);
  }

  /**
   * A planning execution's result carries its plan; when it ends, the plan becomes approvable.
   * Results of other executions pass through unchanged.
   */
  async decorate(result: ExecutionResult): Promise<ExecutionResult | PlanResult> {
    const binding = await this.store.binding(result.executionId);
    if (binding?.mode !== 'planning') return result;
    const effects = await this.store.effects(binding.planId);
    if (isTerminalStatus(result.status)) {
      const record = await this.store.load(binding.planId);
      if (record?.status === 'recording') {
        await this.store.save({ ...record, status: 'ready', executionStatus: result.status, effects });
        this.options.audit({
          type: 'plan_created',
          clientId: binding.clientId,
          executionId: result.executionId,
          planId: binding.planId,
          status: result.status,
          effects: effects.map((effect) => ({
            path: effect.path,
            operationType: effect.operationType,
            reason: effect.reason,
            inputKey: effectKey(effect.path, effect.input),
          })),
        });
      }
    }
    return { ...result, planId: binding.planId, effects };
  }

  // ---- PlanEnforcer ----------------------------------------------------------------------------

  binding(executionId: string): Promise<PlanBinding | undefined> {
    return this.store.binding(executionId);
  }

  isSideEffect(fn: Pick<ResolvedFunction, 'metadata'>): boolean {
    return isSideEffect(fn.metadata, this.options.config);
  }

  stubsReads(): boolean {
    return this.options.config.reads === 'stub';
  }

  async record(binding: PlanBinding, context: ToolCallContext, decision: ToolCallDecision): Promise<void> {
    const effect: PlannedEffect = {
      path: context.path,
      input: context.input,
      operationType: operationOf(context.metadata, this.options.config),
      reason: approvalReason(context.metadata, this.options.config, decision),
      ...(decision.action === 'approve' && decision.policy ? { policy: decision.policy } : {}),
    };
    await this.store.appendEffect(binding.planId, effect);
  }

  async enforce(
    binding: PlanBinding,
    context: ToolCallContext,
    decision: ToolCallDecision,
  ): Promise<ToolCallDecision> {
    const record = await this.store.load(binding.planId);
    const key = effectKey(context.path, context.input);
    const allowed =
      record?.effects.filter((effect) => effectKey(effect.path, effect.input) === key).length ?? 0;
    if (allowed > 0 && (await this.store.consume(binding.planId, key)) <= allowed) return { action: 'allow' };
    const onUnplanned = this.options.config.onUnplannedEffect;
    this.options.audit({
      type: 'plan_unplanned_effect',
      clientId: context.clientId,
      executionId: context.executionId,
      planId: binding.planId,
      path: context.path,
      action: onUnplanned,
    });
    const why =
      allowed > 0
        ? `the approved plan ${binding.planId} holds it fewer times`
        : `it is not in the approved plan ${binding.planId} (or its arguments differ)`;
    if (onUnplanned === 'fail') return { action: 'block', reason: why, policy: PLAN_POLICY };
    const message = `${context.path} needs approval: ${why}`;
    return {
      action: 'approve',
      message: decision.action === 'approve' ? `${decision.message}; ${message}` : message,
      context: { path: context.path, input: context.input, planId: binding.planId },
      policy: decision.action === 'approve' && decision.policy ? decision.policy : PLAN_POLICY,
    };
  }

  stub(fn: ResolvedFunction, input: unknown, binding: PlanBinding): unknown {
    const requested = binding.mode === 'planning' ? binding.stubs : undefined;
    const configured = this.options.config.stubs;
    for (const source of [requested, configured]) {
      if (source === undefined) continue;
      for (const key of [fn.path, `api.${fn.path}`]) {
        if (!Object.hasOwn(source, key)) continue;
        const stub = source[key];
        return typeof stub === 'function' ? stub(input, { path: `api.${fn.path}` }) : structuredClone(stub);
      }
    }
    const found = this.options.catalog.getFunction(stripApi(fn.path));
    return synthesizeFromSchema(found?.fn.outputSchema, found?.group.definitions ?? {}, input);
  }

  private async requirePlan(clientId: string, planId: string): Promise<PlanRecord> {
    const record = await this.store.load(planId);
    // Another client's plan is reported exactly like a missing one.
    if (record === undefined || record.clientId !== clientId) {
      throw new NotFoundError(`Plan "${planId}" was not found (it may have expired).`, ErrorCode.NOT_FOUND);
    }
    return record;
  }
}
