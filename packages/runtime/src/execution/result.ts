import {
  ErrorCode,
  type ExecutionResult,
  ExecutionStatus,
  type LogEntry,
} from '@agent-tool-protocol/protocol';
import type { CounterState, PendingRecord } from '../durable/store.js';
import type { LogQuotaReached } from './agent-output.js';
import type { Outcome } from './outcome.js';

export interface ResultInput {
  executionId: string;
  outcome: Outcome;
  activeMs: number;
  memoryUsed: number | undefined;
  counters: CounterState;
  logs: LogEntry[];
  droppedLogs: number;
  /** The log quota that dropped entries, when one did (rather than the per-leg cap). */
  logQuota?: LogQuotaReached | undefined;
  pending: Iterable<PendingRecord>;
}

/** The wire result of a leg (PROTOCOL.md `ExecutionResult`, plus `logs` and `stats.hostCallsCount`). */
export function toResult(input: ResultInput): ExecutionResult {
  const { outcome, counters } = input;
  const result: ExecutionResult = {
    executionId: input.executionId,
    status:
      outcome.kind === 'paused'
        ? ExecutionStatus.PAUSED
        : outcome.kind === 'completed'
          ? ExecutionStatus.COMPLETED
          : outcome.status,
    stats: {
      duration: Math.round(input.activeMs * 1000) / 1000,
      ...(input.memoryUsed === undefined ? {} : { memoryUsed: input.memoryUsed }),
      llmCallsCount: counters.llm,
      approvalCallsCount: counters.approval,
      toolCallsCount: counters.tools,
      hostCallsCount: counters.hostCalls,
    },
    logs: input.droppedLogs > 0 ? [...input.logs, droppedLogsNotice(input)] : input.logs,
  };
  if (outcome.kind === 'completed') {
    if (outcome.hasValue) result.result = outcome.value;
  } else if (outcome.kind === 'ended') {
    result.error = outcome.error;
  } else {
    const callbacks = [...input.pending].map(({ id, type, operation, payload }) => ({
      id,
      type,
      operation,
      payload,
    }));
    result.needsCallbacks = callbacks;
    if (callbacks.length === 1) {
      const [only] = callbacks;
      result.needsCallback = { type: only!.type, operation: only!.operation, payload: only!.payload };
    }
  }
  return result;
}

function droppedLogsNotice(input: ResultInput): LogEntry {
  const quota = input.logQuota;
  if (quota === undefined) {
    return {
      level: 'warn',
      message: `${input.droppedLogs} more log entries were dropped`,
      timestamp: Date.now(),
    };
  }
  return {
    level: 'warn',
    message: `${input.droppedLogs} more log entries were dropped: the execution reached ${quota.quota} (${quota.limit})`,
    data: { code: ErrorCode.QUOTA_EXCEEDED, ...quota },
    timestamp: Date.now(),
  };
}
