import type { ExecutionConfig, ExecutionResult } from '@agent-tool-protocol/protocol';

/** One side effect a plan intends (docs/plans.md). */
export interface PlannedEffect {
  /** `api.<group>.<fn>` */
  path: string;
  input: unknown;
  operationType: 'read' | 'write' | 'destructive';
  /** Why it needs approval: its operation type, `requiresApproval`, or a policy's message. */
  reason: string;
  policy?: string;
}

/** What `plan()` answers: the planning run's result and the effects it would have. */
export type PlanResult = ExecutionResult & { planId: string; effects: PlannedEffect[] };

/** A stored plan as `getPlan` / `rejectPlan` return it. */
export interface PlanRecord {
  planId: string;
  clientId: string;
  executionId: string;
  status: 'recording' | 'ready' | 'used' | 'rejected';
  executionStatus?: string;
  effects: PlannedEffect[];
  createdAt: number;
  expiresAt: number;
  approvedExecutionId?: string;
}

export interface PlanOptions extends ExecutionConfig {
  /** Results of planned calls by `api.*` path (`tickets.update`), instead of the synthesized value. */
  stubs?: Record<string, unknown>;
  typecheck?: 'off' | 'warn' | 'enforce';
}
