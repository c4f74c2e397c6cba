import type { ToolCallContext } from '@agent-tool-protocol/protocol';
import { z } from 'zod';

/** A stub: the value a planned call returns, or a function of its input. */
export type PlanStub = unknown | ((input: unknown, context: { path: string }) => unknown);

/** `plans` in the server config (docs/plans.md). */
export const PlansConfigSchema = z
  .object({
    /** Seconds a plan can wait for its approval (and stays readable). */
    ttlSeconds: z.number().int().positive().default(3600),
    /**
     * A write in an approved run that the plan does not hold (or holds with other arguments):
     * `approve` asks for approval as any approval does (client callback, else `onApproval`, else
     * denied); `fail` blocks it and ends the execution as a security violation.
     */
    onUnplannedEffect: z.enum(['approve', 'fail']).default('approve'),
    /** Reads while planning: `run` (real data) or `stub` (synthesized, nothing is called at all). */
    reads: z.enum(['run', 'stub']).default('run'),
    /** Functions without `metadata.operationType`: treated as writes (fail closed) or as reads. */
    unknownOperations: z.enum(['write', 'read']).default('write'),
    /** Results of planned calls by `api.*` path (`tickets.update`), instead of the synthesized value. */
    stubs: z.record(z.string(), z.unknown()).default({}),
  })
  .prefault({});
export type PlansConfig = z.output<typeof PlansConfigSchema>;
export type PlansConfigInput = z.input<typeof PlansConfigSchema>;

export const TypecheckModeSchema = z.enum(['off', 'warn', 'enforce']);
export type TypecheckMode = z.infer<typeof TypecheckModeSchema>;

/** The fields of an execute/plan request's `config` this feature reads. */
export const PlanExecutionConfigSchema = z.looseObject({
  typecheck: TypecheckModeSchema.optional(),
  /** Execute only: the id of an approved plan. */
  approvedPlan: z.string().min(1).max(200).optional(),
  /** Plan only: results of planned calls by `api.*` path, over the server's `plans.stubs`. */
  stubs: z.record(z.string(), z.unknown()).optional(),
});
export type PlanExecutionConfig = z.infer<typeof PlanExecutionConfigSchema>;

/** One side effect a plan intends. */
export interface PlannedEffect {
  /** `api.<group>.<fn>` */
  path: string;
  input: unknown;
  operationType: 'read' | 'write' | 'destructive';
  /** Why it needs approval: its operation type, `requiresApproval`, or a policy's message. */
  reason: string;
  /** The policy that asked for approval, when one did. */
  policy?: string;
}

export type PlanStatus = 'recording' | 'ready' | 'used' | 'rejected';

/** A stored plan (cache key `atp:plan:<planId>`). */
export interface PlanRecord {
  planId: string;
  clientId: string;
  /** The planning execution. */
  executionId: string;
  status: PlanStatus;
  /** How the planning run ended (`completed`, `failed`, …). */
  executionStatus?: string;
  effects: PlannedEffect[];
  createdAt: number;
  expiresAt: number;
  /** The execution that ran the approved plan. */
  approvedExecutionId?: string;
}

/** How an execution relates to a plan (cache key `atp:plan-exec:<executionId>`). */
export type PlanBinding =
  | { mode: 'planning'; planId: string; clientId: string; stubs?: Record<string, unknown> }
  | { mode: 'approved'; planId: string; clientId: string };

export type EffectContext = Pick<ToolCallContext, 'path' | 'input' | 'metadata' | 'executionId' | 'clientId'>;
