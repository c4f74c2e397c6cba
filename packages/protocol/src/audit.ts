import type { ExecutionStatus } from './codes.js';
import type { ClientServices } from './wire.js';

// Every record the engine hands to `AuditSink.write`, one variant per `type`. Execution lifecycle
// variants carry the runtime's event fields unchanged; the ended execution also carries its cost.

// Type aliases, not interfaces: a sink may treat any event as a `Record<string, unknown>`.
type Stamped = {
  /** Epoch ms. */
  timestamp: number;
};

type OfExecution = Stamped & {
  executionId: string;
  clientId: string;
};

/** The cost of an ended execution, when it was tracked (a cancelled paused one may not be). */
export type AuditAccounting = {
  toolCallsCount?: number;
  llmCallsCount?: number;
  inputTokens?: number;
  outputTokens?: number;
  bytesReturned?: number;
  pauses?: number;
};

/** A planned effect as the `plan_created` record lists it: the input only as a hash. */
export type AuditPlannedEffect = {
  path: string;
  operationType: 'read' | 'write' | 'destructive';
  reason: string;
  /** sha256 of the path and the canonical JSON of the input. */
  inputKey: string;
};

export type AuditEvent =
  | (Stamped & { type: 'client_init'; clientId: string; services: ClientServices; tools: number })
  | (Stamped & { type: 'auth_failure'; reason: string; provider?: string })
  | (OfExecution & { type: 'execution_start' })
  | (OfExecution & { type: 'execution_pause'; callbacks: number })
  | (OfExecution & { type: 'execution_resume'; mode: 'hot' | 'durable' })
  | (OfExecution &
      AuditAccounting & {
        type: 'execution_complete' | 'execution_fail';
        status: ExecutionStatus;
        durationMs: number;
      })
  | (OfExecution & {
      type: 'tool_call';
      path: string;
      status: 'ok' | 'error' | 'blocked';
      durationMs: number;
      replayed: boolean;
    })
  | (OfExecution & { type: 'llm_call'; operation: string; callbackId: string })
  | (OfExecution & {
      type: 'approval_requested';
      callbackId?: string;
      message: string;
      path?: string;
      policy?: string;
      via: 'client' | 'server';
    })
  | (OfExecution & {
      type: 'approval_decided';
      approved: boolean;
      reason?: string;
      path?: string;
      via: 'client' | 'server';
    })
  | (OfExecution & { type: 'policy_violation'; path: string; reason: string; policy?: string })
  | (OfExecution & {
      type: 'plan_created';
      planId: string;
      status: ExecutionStatus;
      effects: AuditPlannedEffect[];
    })
  | (Stamped & {
      type: 'plan_decided';
      clientId: string;
      /** The execution the approval bound the plan to (absent for a rejection). */
      executionId?: string;
      planId: string;
      approved: boolean;
      effects?: number;
      reason?: string;
    })
  | (OfExecution & {
      type: 'plan_unplanned_effect';
      planId: string;
      path: string;
      action: 'approve' | 'fail';
    })
  | (Stamped & { type: 'oauth_authorize'; clientId: string; provider: string })
  | (Stamped & { type: 'oauth_authorized'; provider: string });

export type AuditEventType = AuditEvent['type'];

/** An audit event before the engine stamps it (`timestamp` may be given). */
export type AuditEventInput = AuditEvent extends infer Event
  ? Event extends Stamped
    ? Omit<Event, 'timestamp'> & { timestamp?: number }
    : never
  : never;
