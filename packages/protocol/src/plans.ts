import { z } from 'zod';
import { ExecutionConfigSchema, ExecutionResultSchema } from './wire.js';

// Plan, then approve once (docs/plans.md): the wire shapes of `POST /api/plan`, `GET /api/plan/:id`
// and `POST /api/plan/:id/reject`, used by the server and the client alike.

export const TypecheckModeSchema = z.enum(['off', 'warn', 'enforce']);
/** `off`, `warn` (diagnostics with the result) or `enforce` (code that does not type-check is refused). */
export type TypecheckMode = z.infer<typeof TypecheckModeSchema>;

export const PlannedEffectSchema = z.looseObject({
  /** `api.<group>.<fn>` */
  path: z.string(),
  input: z.unknown(),
  operationType: z.enum(['read', 'write', 'destructive']),
  /** Why it needs approval: its operation type, `requiresApproval`, or a policy's message. */
  reason: z.string(),
  /** The policy that asked for approval, when one did. */
  policy: z.string().optional(),
});
/** One side effect a plan intends. */
export type PlannedEffect = z.infer<typeof PlannedEffectSchema>;

export const PlanStatusSchema = z.enum(['recording', 'ready', 'used', 'rejected']);
export type PlanStatus = z.infer<typeof PlanStatusSchema>;

export const PlanRecordSchema = z.looseObject({
  planId: z.string(),
  clientId: z.string(),
  /** The planning execution. */
  executionId: z.string(),
  status: PlanStatusSchema,
  /** How the planning run ended (`completed`, `failed`, …). */
  executionStatus: z.string().optional(),
  effects: z.array(PlannedEffectSchema),
  createdAt: z.number(),
  expiresAt: z.number(),
  /** The execution that ran the approved plan. */
  approvedExecutionId: z.string().optional(),
});
/** A stored plan, as `GET /api/plan/:planId` and `POST /api/plan/:planId/reject` answer it. */
export type PlanRecord = z.infer<typeof PlanRecordSchema>;

export const PlanResultSchema = ExecutionResultSchema.extend({
  planId: z.string(),
  effects: z.array(PlannedEffectSchema),
});
/** What `POST /api/plan` answers: the planning run's result plus the plan. */
export type PlanResult = z.infer<typeof PlanResultSchema>;

/** The fields of an execute or plan request's `config` that plans and the type check read. */
export const PlanExecutionConfigSchema = z.looseObject({
  typecheck: TypecheckModeSchema.optional(),
  /** Execute only: the id of an approved plan. */
  approvedPlan: z.string().min(1).max(200).optional(),
  /** Plan only: results of planned calls by `api.*` path, over the server's `plans.stubs`. */
  stubs: z.record(z.string(), z.unknown()).optional(),
});
export type PlanExecutionConfig = z.infer<typeof PlanExecutionConfigSchema>;

export const PlanRequestConfigSchema = ExecutionConfigSchema.extend(PlanExecutionConfigSchema.shape);
/** The `config` of a plan request: the execution config plus `stubs` and `typecheck`. */
export type PlanRequestConfig = z.infer<typeof PlanRequestConfigSchema>;
