import type { AuditEventInput } from '@agent-tool-protocol/protocol';
import type { ExecutionEvent } from '@agent-tool-protocol/runtime';
import type { ExecutionHistory } from '../history/execution-history.js';
import type { DurableStateMeter } from '../quotas/durable-state-meter.js';
import type { ExecutionObserver } from '../telemetry/execution-observer.js';
import type { PausedTracker } from './paused-tracker.js';

export interface ExecutionEventSinks {
  /** Meters durable state per client; it learns which client an execution belongs to here. */
  durableState: DurableStateMeter;
  paused: PausedTracker;
  observer: ExecutionObserver;
  /** Undefined when `history.enabled` is false. */
  history: ExecutionHistory | undefined;
  audit(event: AuditEventInput): void;
}

/**
 * Hands each runtime lifecycle event to whoever follows executions: the paused count, telemetry, the
 * history and the audit log. An ended execution's audit record waits for its cost to be known.
 */
export function routeExecutionEvents(sinks: ExecutionEventSinks): (event: ExecutionEvent) => void {
  return (event) => {
    sinks.durableState.onEvent(event);
    if (event.type === 'execution_pause') sinks.paused.paused(event.clientId, event.executionId);
    else if (event.type === 'execution_end') sinks.paused.ended(event.clientId, event.executionId);
    sinks.observer.onEvent(event);
    sinks.history?.record(event);
    if (event.type !== 'execution_end') {
      sinks.audit(event);
      return;
    }
    const { type: _type, ...ended } = event;
    // The audit record carries the execution's cost, known once its last call returns.
    sinks.observer.whenAccounted(event, (accounting) => {
      sinks.history?.ended(event, accounting);
      sinks.audit({
        ...ended,
        ...accounting,
        type: event.status === 'completed' ? 'execution_complete' : 'execution_fail',
      });
    });
  };
}
