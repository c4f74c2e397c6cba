import type { APIDispatcher, ResolvedFunction } from '@agent-tool-protocol/protocol';
import { SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { jsonBytes } from '../accounting/cost-account.js';
import { ATTR, SPAN } from './names.js';

/**
 * Wraps a dispatcher so every API function call runs in an active `atp.tool_call` span: handlers that
 * inject the active context (tracingFetch, fetch instrumentation) put upstream calls under it.
 */
export function traceDispatcher(dispatcher: APIDispatcher, tracer: Tracer): APIDispatcher {
  const wrapped = new WeakMap<ResolvedFunction, ResolvedFunction>();
  return {
    resolve: (path) => {
      const fn = dispatcher.resolve(path);
      if (!fn) return undefined;
      let traced = wrapped.get(fn);
      if (!traced) {
        traced = traceFunction(fn, tracer);
        wrapped.set(fn, traced);
      }
      return traced;
    },
    suggest: (path, limit) => dispatcher.suggest(path, limit),
  };
}

function traceFunction(fn: ResolvedFunction, tracer: Tracer): ResolvedFunction {
  const attributes = {
    [ATTR.toolGroup]: fn.group,
    [ATTR.toolFunction]: fn.name,
    [ATTR.toolPath]: `api.${fn.path}`,
  };
  const call: ResolvedFunction['call'] = (input, invocation) =>
    tracer.startActiveSpan(SPAN.toolCall, { attributes }, async (span) => {
      // Sizes only, and only when someone records them: never argument or result values.
      const recording = span.isRecording();
      if (recording) span.setAttribute(ATTR.toolBytesIn, jsonBytes(input));
      try {
        const value = await fn.call(input, invocation);
        if (recording) span.setAttributes({ [ATTR.toolStatus]: 'ok', [ATTR.toolBytesOut]: jsonBytes(value) });
        return value;
      } catch (error) {
        // The error's code or name only: messages often repeat argument values.
        const type = errorType(error);
        span.setAttributes({ [ATTR.toolStatus]: 'error', [ATTR.errorType]: type });
        span.setStatus({ code: SpanStatusCode.ERROR, message: type });
        throw error;
      } finally {
        span.end();
      }
    });
  // Everything else the catalog put on the function stays reachable through the prototype.
  return Object.assign(Object.create(fn) as ResolvedFunction, { call });
}

function errorType(error: unknown): string {
  const candidate = error as { code?: unknown; name?: unknown } | null;
  if (typeof candidate?.code === 'string' && candidate.code) return candidate.code;
  if (typeof candidate?.name === 'string' && candidate.name) return candidate.name;
  return 'Error';
}
