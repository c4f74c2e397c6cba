import type { ExecutionEvent } from '../types.js';

export type ApprovalVia = 'client' | 'server';

/** Emits one execution's lifecycle events (the server forwards them to audit and metrics). */
export class ExecutionEvents {
  constructor(
    private readonly emit: (event: ExecutionEvent) => void,
    private readonly executionId: string,
    private readonly clientId: string,
  ) {}

  toolCall(path: string, status: 'ok' | 'error' | 'blocked', started: number, replayed = false): void {
    this.emit({
      type: 'tool_call',
      executionId: this.executionId,
      clientId: this.clientId,
      path,
      status,
      durationMs: performance.now() - started,
      replayed,
    });
  }

  llmCall(operation: string, callbackId: string): void {
    this.emit({
      type: 'llm_call',
      executionId: this.executionId,
      clientId: this.clientId,
      operation,
      callbackId,
    });
  }

  approvalRequested(
    message: string,
    via: ApprovalVia,
    details: { callbackId?: string; path?: string; policy?: string } = {},
  ): void {
    this.emit({
      type: 'approval_requested',
      executionId: this.executionId,
      clientId: this.clientId,
      message,
      via,
      ...(details.callbackId ? { callbackId: details.callbackId } : {}),
      ...(details.path ? { path: details.path } : {}),
      ...(details.policy ? { policy: details.policy } : {}),
    });
  }

  approvalDecided(answer: { approved: boolean; reason?: string }, via: ApprovalVia, path?: string): void {
    this.emit({
      type: 'approval_decided',
      executionId: this.executionId,
      clientId: this.clientId,
      approved: answer.approved,
      via,
      ...(answer.reason ? { reason: answer.reason } : {}),
      ...(path ? { path } : {}),
    });
  }

  policyViolation(path: string, reason: string, policy: string | undefined): void {
    this.emit({
      type: 'policy_violation',
      executionId: this.executionId,
      clientId: this.clientId,
      path,
      reason,
      ...(policy ? { policy } : {}),
    });
  }
}
