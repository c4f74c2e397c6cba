import {
  type Context,
  createTraceState,
  isSpanContextValid,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  TraceFlags,
  trace,
} from '@opentelemetry/api';

// W3C Trace Context (`traceparent`/`tracestate`), always, whatever propagator the host registered (or
// none), so propagation works in attach mode too. Written against `@opentelemetry/api` alone, so the
// engine needs no SDK package: https://www.w3.org/TR/trace-context/#traceparent-header

const TRACEPARENT = /^\s?([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})(-.*)?\s?$/;

function firstHeader(value: unknown): string | undefined {
  const header = Array.isArray(value) ? value[0] : value;
  return typeof header === 'string' ? header : undefined;
}

/** The span context a `traceparent` header names, or undefined when it is absent or malformed. */
function parseTraceparent(header: string | undefined): SpanContext | undefined {
  const match = header === undefined ? null : TRACEPARENT.exec(header);
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  // Version ff is invalid; version 00 has exactly four fields (later versions may add more).
  if (version === 'ff' || (version === '00' && rest)) return undefined;
  return { traceId: traceId!, spanId: spanId!, traceFlags: Number.parseInt(flags!, 16), isRemote: true };
}

/** `base` with the remote span context from the request's `traceparent`/`tracestate`, if valid. */
export function extractTraceContext(headers: Record<string, unknown>, base: Context = ROOT_CONTEXT): Context {
  const spanContext = parseTraceparent(firstHeader(headers.traceparent));
  if (!spanContext || !isSpanContextValid(spanContext)) return base;
  const tracestate = headers.tracestate;
  const state = Array.isArray(tracestate) ? tracestate.join(',') : tracestate;
  if (typeof state === 'string' && state !== '') spanContext.traceState = createTraceState(state);
  return trace.setSpanContext(base, spanContext);
}

/** Writes the active span's `traceparent` (and `tracestate`) into `headers`; nothing without one. */
export function injectTraceContext(active: Context, headers: Record<string, string>): void {
  const spanContext = trace.getSpanContext(active);
  if (!spanContext || !isSpanContextValid(spanContext)) return;
  const flags = (spanContext.traceFlags || TraceFlags.NONE).toString(16).padStart(2, '0');
  headers.traceparent = `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
  const state = spanContext.traceState?.serialize();
  if (state) headers.tracestate = state;
}

export function traceparentOf(span: Span): string | undefined {
  const carrier: Record<string, string> = {};
  injectTraceContext(trace.setSpan(ROOT_CONTEXT, span), carrier);
  return carrier.traceparent;
}
