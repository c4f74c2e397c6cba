import type { ExecutionStatus } from './codes.js';

// Responses of `GET /api/executions` and `GET /api/executions/:id` (additions to the 0.19 protocol).

/** One entry of an execution's audit trail: the audit event without ids, with its time (epoch ms). */
export interface ExecutionTrailEvent {
  type: string;
  at: number;
  [field: string]: unknown;
}

/** A recent execution as `GET /api/executions` lists it. */
export interface ExecutionSummary {
  executionId: string;
  status: ExecutionStatus | 'running';
  /** Epoch ms of `execute`, and of the last change. */
  startedAt: number;
  updatedAt: number;
  /** Active (in-sandbox) time, once ended. */
  durationMs?: number;
  toolCalls: number;
  llmCalls: number;
  /** Approval decisions (by the client or the server's approver). */
  approvals: number;
  pauses: number;
  inputTokens?: number;
  outputTokens?: number;
  bytesReturned?: number;
}

/** `GET /api/executions/:id`: the summary and the audit trail (oldest first). */
export interface ExecutionTrail extends ExecutionSummary {
  events: ExecutionTrailEvent[];
  /** Events left out because the trail was longer than `history.maxEvents` (the oldest after the first). */
  droppedEvents: number;
}
