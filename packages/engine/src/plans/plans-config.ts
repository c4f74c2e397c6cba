import { z } from 'zod';

/** A stub: the value a planned call returns, or a function of its input. */
export type PlanStub = unknown | ((input: unknown, context: { path: string }) => unknown);

/** `plans` in the engine config (docs/plans.md). */
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
