import { ATTR, extractTraceContext, type Instruments } from '@agent-tool-protocol/engine';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';

const EXACT_ROUTES = new Set([
  '/health',
  '/ready',
  '/api/info',
  '/api/init',
  '/api/token',
  '/api/definitions',
  '/api/runtime',
  '/api/search',
  '/api/explore',
  '/api/execute',
  '/api/execute/stream',
]);
const ID_ROUTE = /^\/api\/(resume|cancel)\/[^/]+(\/stream)?\/?$/;

/** The route template of a path (ids replaced), or undefined for paths ATP does not serve itself. */
export function routeOf(path: string): string | undefined {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (EXACT_ROUTES.has(trimmed)) return trimmed;
  const match = ID_ROUTE.exec(trimmed);
  return match ? `/api/${match[1]}/:executionId${match[2] ?? ''}` : undefined;
}

/**
 * One SERVER span per HTTP request, a child of the caller's `traceparent` (or of the span a host's own
 * HTTP instrumentation already started); counts 401/429 answers as rejected requests.
 */
export function httpTracing(
  tracer: ReturnType<typeof trace.getTracer>,
  instruments: Instruments,
): RequestHandler {
  return (req, res, next) => {
    const active = context.active();
    const parent = trace.getSpan(active) ? active : extractTraceContext(req.headers, active);
    const path = req.path;
    const route = routeOf(path);
    const span = tracer.startSpan(
      route ? `${req.method} ${route}` : req.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR.httpMethod]: req.method,
          [ATTR.urlPath]: path,
          ...(route ? { [ATTR.httpRoute]: route } : {}),
        },
      },
      parent,
    );
    const started = performance.now();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const status = res.statusCode;
      span.setAttribute(ATTR.httpStatus, status);
      const clientId = (res.locals.auth as { clientId?: string } | undefined)?.clientId;
      if (clientId) span.setAttribute(ATTR.clientId, clientId);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      if (!res.writableFinished) span.setAttribute('http.response.aborted', true);
      span.end();
      const attributes = {
        [ATTR.httpMethod]: req.method,
        [ATTR.httpStatus]: status,
        ...(route ? { [ATTR.httpRoute]: route } : {}),
      };
      instruments.httpDuration.record((performance.now() - started) / 1000, attributes);
      if (status === 401 || status === 429)
        instruments.rejectedRequests.add(1, { [ATTR.httpStatus]: status });
    };
    res.once('finish', end);
    res.once('close', end);
    context.with(trace.setSpan(parent, span), next);
  };
}
