import { context } from '@opentelemetry/api';
import { injectTraceContext } from './w3c.js';

/**
 * A `fetch` that adds the active trace context (`traceparent`, `tracestate`) to every request. Inside a
 * tool call the active span is its `atp.tool_call` span, so an upstream API called from an OpenAPI or
 * MCP group joins the execution's trace: `loadOpenAPI({ fetch: tracingFetch() })`.
 * Headers the caller set itself win.
 */
export function tracingFetch(fetchImpl: typeof fetch = globalThis.fetch): typeof fetch {
  return (input, init) => {
    const carrier: Record<string, string> = {};
    injectTraceContext(context.active(), carrier);
    if (Object.keys(carrier).length === 0) return fetchImpl(input, init);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    for (const [name, value] of Object.entries(carrier)) if (!headers.has(name)) headers.set(name, value);
    return fetchImpl(input, { ...init, headers });
  };
}
