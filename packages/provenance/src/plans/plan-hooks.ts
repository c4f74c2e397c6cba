import type {
  APIDispatcher,
  ExecutionHooks,
  ResolvedFunction,
  ToolCallContext,
  ToolCallDecision,
} from '@agent-tool-protocol/protocol';

/** How an execution relates to a plan: it records one (`planning`) or runs an approved one. */
export type PlanBinding =
  | { mode: 'planning'; planId: string; clientId: string; stubs?: Record<string, unknown> }
  | { mode: 'approved'; planId: string; clientId: string };

/** What the hook and dispatcher wrappers ask the plan service (the engine's `PlanService`). */
export interface PlanEnforcer {
  binding(executionId: string): Promise<PlanBinding | undefined>;
  isSideEffect(fn: Pick<ResolvedFunction, 'metadata'>): boolean;
  stubsReads(): boolean;
  /** Planning: record the call as an intended effect. */
  record(binding: PlanBinding, context: ToolCallContext, decision: ToolCallDecision): Promise<void>;
  /** Approved run: the decision for a side effect after the existing hooks allowed or asked approval. */
  enforce(
    binding: PlanBinding,
    context: ToolCallContext,
    decision: ToolCallDecision,
  ): Promise<ToolCallDecision>;
  stub(fn: ResolvedFunction, input: unknown, binding: PlanBinding): unknown;
}

/**
 * The existing hooks (policies, provenance), then the plan: while planning, side effects are
 * recorded and allowed (the dispatcher only pretends to call them); in an approved run, planned
 * effects are allowed and others go through `plans.onUnplannedEffect`. A block always stays a block.
 */
export function withPlanHooks(hooks: ExecutionHooks | undefined, plans: PlanEnforcer): ExecutionHooks {
  const before = hooks?.beforeToolCall?.bind(hooks);
  return {
    ...(hooks?.afterToolCall ? { afterToolCall: hooks.afterToolCall.bind(hooks) } : {}),
    ...(hooks?.transformCode ? { transformCode: hooks.transformCode.bind(hooks) } : {}),
    async beforeToolCall(context: ToolCallContext): Promise<ToolCallDecision> {
      const decision: ToolCallDecision = before ? await before(context) : { action: 'allow' };
      if (decision.action === 'block' || !context.path.startsWith('api.')) return decision;
      if (!plans.isSideEffect(context)) return decision;
      const binding = await plans.binding(context.executionId);
      if (binding === undefined) return decision;
      if (binding.mode === 'planning') {
        await plans.record(binding, context, decision);
        return { action: 'allow' };
      }
      return plans.enforce(binding, context, decision);
    },
  };
}

/** While planning, side effects (and reads with `plans.reads: 'stub'`) return a stub instead of running. */
export function withPlanDispatcher(inner: APIDispatcher, plans: PlanEnforcer): APIDispatcher {
  const wrapped = new WeakMap<ResolvedFunction, ResolvedFunction>();
  return {
    suggest: (path, limit) => inner.suggest(path, limit),
    resolve(path) {
      const fn = inner.resolve(path);
      if (fn === undefined) return undefined;
      let planned = wrapped.get(fn);
      if (planned === undefined) {
        // Fields are read explicitly: a ResolvedFunction may expose them as getters.
        const source = fn;
        planned = {
          path: source.path,
          group: source.group,
          name: source.name,
          ...(source.metadata === undefined ? {} : { metadata: source.metadata }),
          // Plans check inputs too: a planned call with a bad input fails as it would when run.
          ...(source.validateInput === undefined
            ? {}
            : { validateInput: (input: unknown) => source.validateInput!(input) }),
          call: async (input, context) => {
            const binding = await plans.binding(context.executionId);
            if (binding?.mode === 'planning' && (plans.isSideEffect(fn) || plans.stubsReads())) {
              return plans.stub(fn, input, binding);
            }
            return fn.call(input, context);
          },
        };
        wrapped.set(fn, planned);
      }
      return planned;
    },
  };
}
