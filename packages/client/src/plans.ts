import type { ExecutionConfig, TypecheckMode } from '@agent-tool-protocol/protocol';

export type { PlannedEffect, PlanRecord, PlanResult } from '@agent-tool-protocol/protocol';

/** The config of `plan()`: the execution config plus stubs for planned calls and a type-check mode. */
export interface PlanOptions extends ExecutionConfig {
  /** Results of planned calls by `api.*` path (`tickets.update`), instead of the synthesized value. */
  stubs?: Record<string, unknown>;
  typecheck?: TypecheckMode;
}
