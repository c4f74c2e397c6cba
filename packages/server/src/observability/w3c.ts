import {
  type Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  type Span,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/**
 * ATP always speaks W3C trace context (`traceparent`/`tracestate`), whatever global propagator the host
 * registered (or none), so propagation works in attach mode too.
 */
const w3c = new W3CTraceContextPropagator();

export function extractTraceContext(headers: Record<string, unknown>, base: Context = ROOT_CONTEXT): Context {
  return w3c.extract(base, headers, defaultTextMapGetter);
}

export function injectTraceContext(active: Context, headers: Record<string, string>): void {
  w3c.inject(active, headers, defaultTextMapSetter);
}

export function traceparentOf(span: Span): string | undefined {
  const carrier: Record<string, string> = {};
  injectTraceContext(trace.setSpan(ROOT_CONTEXT, span), carrier);
  return carrier.traceparent;
}
