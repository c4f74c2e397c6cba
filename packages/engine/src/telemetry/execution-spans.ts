import type { CallbackRequest, ExecutionResult } from '@agent-tool-protocol/protocol';
import {
  type Context,
  context,
  type Link,
  ROOT_CONTEXT,
  type Span,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { ExecutionAccount } from '../accounting/cost-account.js';
import { ATTR, SPAN } from './names.js';
import { extractTraceContext } from './w3c.js';

/** A link to the span active now (the HTTP request), if there is a real one. */
export function linkToActive(active: Context = context.active()): Link[] {
  const spanContext = trace.getSpan(active)?.spanContext();
  return spanContext && trace.isSpanContextValid(spanContext) ? [{ context: spanContext }] : [];
}

/** Starts, annotates and ends the spans of executions: `atp.execution` and `atp.callback.round_trip`. */
export class ExecutionSpans {
  constructor(private readonly tracer: Tracer) {}

  /** The span of a new execution, a child of the active one (the `execute` request). */
  startExecution(clientId: string): Span {
    return this.tracer.startSpan(SPAN.execution, { attributes: { [ATTR.clientId]: clientId } });
  }

  /**
   * The span of an execution resumed where its span is not open (another instance, a restart): a
   * continuation in the trace the stored `traceparent` names, linked to the resume request.
   */
  continueExecution(clientId: string, executionId: string, traceparent: string | undefined): Span {
    const parent = traceparent ? extractTraceContext({ traceparent }) : context.active();
    return this.tracer.startSpan(
      SPAN.execution,
      {
        attributes: { [ATTR.clientId]: clientId, [ATTR.executionId]: executionId, [ATTR.continued]: true },
        links: linkToActive(),
      },
      parent,
    );
  }

  /** Runs `work` with `span` active, so tool call spans become its children. */
  within<T>(span: Span, work: () => Promise<T>): Promise<T> {
    return context.with(trace.setSpan(context.active(), span), work);
  }

  /** The span from a pause until its resume, a child of the execution's span. */
  startRoundTrip(execution: Span, executionId: string, callbacks: readonly CallbackRequest[]): Span {
    return this.tracer.startSpan(
      SPAN.callbackRoundTrip,
      {
        attributes: {
          [ATTR.executionId]: executionId,
          [ATTR.callbackCount]: callbacks.length,
          [ATTR.callbackTypes]: [
            ...new Set(callbacks.map((callback) => `${callback.type}.${callback.operation}`)),
          ],
        },
      },
      trace.setSpan(ROOT_CONTEXT, execution),
    );
  }

  /**
   * Ends the round trip of a resumed execution: the open span, or (when it paused elsewhere) one started
   * at the stored pause time. Linked to the resume request.
   */
  endRoundTrip(
    execution: Span,
    executionId: string,
    open: Span | undefined,
    pausedAt: number | undefined,
    mode: 'hot' | 'durable',
    requestLink: Link[],
  ): void {
    const roundTrip =
      open ??
      (pausedAt === undefined
        ? undefined
        : this.tracer.startSpan(
            SPAN.callbackRoundTrip,
            { startTime: pausedAt, attributes: { [ATTR.executionId]: executionId } },
            trace.setSpan(ROOT_CONTEXT, execution),
          ));
    if (!roundTrip) return;
    if (requestLink.length > 0) roundTrip.addLinks(requestLink);
    roundTrip.setAttribute(ATTR.resumeMode, mode);
    roundTrip.end();
  }

  /** Ends an execution's span with its status and cost (and its stats when it ended in a call). */
  finish(
    span: Span,
    executionId: string,
    status: string,
    account: ExecutionAccount,
    stats?: ExecutionResult['stats'],
  ): void {
    span.setAttributes({
      [ATTR.executionId]: executionId,
      [ATTR.status]: status,
      [ATTR.pauses]: account.pauses,
      [ATTR.inputTokens]: account.inputTokens,
      [ATTR.outputTokens]: account.outputTokens,
      [ATTR.bytesReturned]: account.bytesReturned,
      ...(stats
        ? {
            [ATTR.durationMs]: stats.duration,
            [ATTR.toolCalls]: stats.toolCallsCount ?? 0,
            [ATTR.llmCalls]: stats.llmCallsCount,
            [ATTR.approvalCalls]: stats.approvalCallsCount,
          }
        : {}),
    });
    if (status === 'completed') span.setStatus({ code: SpanStatusCode.OK });
    else span.setStatus({ code: SpanStatusCode.ERROR, message: status });
    span.end();
  }

  /** Ends the spans of an execution still paused; a later resume continues it in a new span. */
  closePaused(span: Span, roundTrip: Span | undefined, reason: string, pauses: number): void {
    roundTrip?.setAttribute('atp.callback.unanswered', reason);
    roundTrip?.end();
    span.setAttributes({
      [ATTR.status]: 'paused',
      [ATTR.pauses]: pauses,
      'atp.execution.span_closed': reason,
    });
    span.end();
  }

  toolCallBlocked(span: Span, path: string): void {
    span.addEvent('atp.tool_call.blocked', { [ATTR.toolPath]: path });
  }

  policyViolation(span: Span, path: string, policy: string | undefined): void {
    span.addEvent('atp.policy_violation', {
      [ATTR.toolPath]: path,
      ...(policy ? { 'atp.policy': policy } : {}),
    });
  }
}
