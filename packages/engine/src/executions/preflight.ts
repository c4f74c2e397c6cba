import {
  type ClientServices,
  type ClientToolDefinition,
  type ExecutionResult,
  PlanExecutionConfigSchema,
  parseOrThrow,
  type TypecheckMode,
  ValidationError,
} from '@agent-tool-protocol/protocol';
import type { PlanService } from '../plans/plan-service.js';
import type { TypecheckGate } from '../typecheck/typecheck-gate.js';

export interface PreflightDeps {
  typecheck: TypecheckGate;
  plans: PlanService;
  /** `execution.typecheck` of the engine config. */
  defaultTypecheck: TypecheckMode;
  newExecutionId: () => string;
}

export interface PreflightInput {
  clientId: string;
  code: string;
  /** The request's `config` (its `typecheck` and `approvedPlan` are read here). */
  config: unknown;
  services: ClientServices;
  tools: readonly ClientToolDefinition[];
  /** Set for a planning execution (its id is bound to the plan beforehand). */
  executionId?: string;
}

export type Preflight =
  | { rejected: ExecutionResult }
  | { rejected?: undefined; executionId?: string; finish(result: ExecutionResult): Promise<ExecutionResult> };

/**
 * What happens between a valid execute request and the isolate: the type check (which may refuse
 * the code) and binding an approved plan to the new execution (which consumes the plan).
 */
export async function preflight(deps: PreflightDeps, input: PreflightInput): Promise<Preflight> {
  const extras = parseOrThrow(PlanExecutionConfigSchema, input.config ?? {}, 'execute request', 'config');
  const checked = deps.typecheck.check(extras.typecheck ?? deps.defaultTypecheck, input.code, {
    services: input.services,
    tools: input.tools,
  });
  if (checked.action === 'reject') {
    // A refused planning run still ends its plan (with no effects), so the plan is not left recording.
    if (input.executionId === undefined) return { rejected: checked.result };
    return { rejected: await deps.plans.decorate({ ...checked.result, executionId: input.executionId }) };
  }
  let executionId = input.executionId;
  if (extras.approvedPlan !== undefined) {
    if (executionId !== undefined) {
      const message = 'cannot be used while planning';
      throw new ValidationError(`Invalid plan request: config.approvedPlan: ${message}`, [
        { path: 'config.approvedPlan', message },
      ]);
    }
    executionId = deps.newExecutionId();
    await deps.plans.approve(input.clientId, extras.approvedPlan, executionId);
  }
  const approvedPlan = extras.approvedPlan;
  return {
    ...(executionId === undefined ? {} : { executionId }),
    async finish(result) {
      // Only a plan-bound execution has plan data to add; skipping the lookup otherwise keeps a
      // finished result from turning into a 503 when the cache is briefly unreachable.
      const decorated = executionId === undefined ? result : await deps.plans.decorate(result);
      return {
        ...decorated,
        ...(checked.diagnostics ? { diagnostics: checked.diagnostics } : {}),
        ...(approvedPlan ? { approvedPlan } : {}),
      };
    },
  };
}
