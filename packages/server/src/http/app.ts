import type { ATPEngine, StreamListeners } from '@agent-tool-protocol/engine';
import type { ExecutionResult, TokenResponse } from '@agent-tool-protocol/protocol';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import type { ResolvedServerConfig } from '../config.js';
import type { TrustFunction } from './client-address.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { httpTracing } from './http-tracing.js';
import { rejectDeepJson } from './json-depth.js';
import { type Middleware, runMiddleware } from './middleware.js';
import { createOAuthRouter } from './oauth-routes.js';
import { rejectBadPercentEncoding } from './percent-encoding.js';
import { ExecutionEventStream } from './sse.js';
import { toWire } from './wire-result.js';

interface Authenticated {
  clientId: string;
}

const header = (req: Request, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

function sendRotatedToken(res: Response, token: TokenResponse | undefined): void {
  if (!token) return;
  res.setHeader('X-ATP-Token', token.token);
  res.setHeader('X-ATP-Token-Expires', String(token.expiresAt));
}

/**
 * Runs an execution with its progress and logs streamed as server-sent events. Errors raised before
 * the execution starts (a bad body, a 429) still answer as plain JSON errors with their status.
 */
async function streamExecution(
  res: Response,
  run: (listeners: StreamListeners) => Promise<ExecutionResult>,
): Promise<void> {
  const stream = new ExecutionEventStream(res);
  let started = false;
  const listeners = stream.listeners();
  const begin = () => {
    if (started) return;
    started = true;
    stream.open();
  };
  try {
    const result = await run({
      onLog: (entry) => {
        begin();
        listeners.onLog?.(entry);
      },
      onProgress: (event) => {
        begin();
        listeners.onProgress?.(event);
      },
    });
    begin();
    stream.finish(toWire(result));
  } catch (error) {
    if (!started) throw error;
    stream.fail(error);
  }
}

/** A handler another package serves under a path of this server (e.g. ATP over MCP at `/mcp`). */
export interface Mount {
  path: string;
  handler: RequestHandler;
}

/** How the app learns who the client is (`http.trustProxy`, compiled once by the server). */
export interface ClientAddressing {
  trust: TrustFunction;
  clientAddress(req: Request): string | undefined;
}

/**
 * The express app: every route of PROTOCOL.md over one engine. Unknown paths are 404 before any
 * authentication; a path or query string that is not valid percent-encoding is 400 before any route.
 */
export function createApp(
  engine: ATPEngine,
  http: ResolvedServerConfig['http'],
  middlewares: readonly Middleware[],
  mounts: readonly Mount[],
  addressing: ClientAddressing,
): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // req.ip, req.protocol and req.hostname believe X-Forwarded-* only from trusted proxies.
  app.set('trust proxy', addressing.trust);
  app.use(httpTracing(engine.observability.tracer, engine.observability.instruments));
  app.use(rejectBadPercentEncoding);
  app.use(
    express.json({
      limit: http.bodyLimit,
      strict: false,
      type: ['application/json', 'application/*+json'],
      verify: rejectDeepJson(http.maxJsonDepth),
    }),
  );

  const auth = async (req: Request, res: Response, next: NextFunction) => {
    const claims = await engine.authenticate(header(req, 'authorization'), header(req, 'x-client-id'));
    res.locals.auth = { clientId: claims.clientId } satisfies Authenticated;
    sendRotatedToken(res, await engine.rotatedToken(claims));
    next();
  };

  // The route runs when the last middleware calls `next`; that `next` resolves once the response is
  // finished (or the connection closed), so `await next()` returns after the route handled the request.
  const userMiddleware = (req: Request, res: Response, next: NextFunction) => {
    if (middlewares.length === 0) return next();
    const route = () =>
      new Promise<void>((resolve) => {
        res.once('finish', resolve);
        res.once('close', resolve);
        next();
      });
    const ip = addressing.clientAddress(req);
    runMiddleware(
      middlewares,
      {
        req,
        res,
        method: req.method,
        path: req.baseUrl + req.path,
        headers: req.headers,
        body: req.body,
        ...(ip === undefined ? {} : { ip }),
        ...(res.locals.auth ? { clientId: (res.locals.auth as Authenticated).clientId } : {}),
        state: res.locals,
      },
      route,
    ).catch((error: unknown) => {
      if (res.headersSent)
        engine.logger.warn({ err: error, path: req.originalUrl }, 'middleware threw after the response');
      else next(error);
    });
  };
  // Authentication is attached to each route, not to the router, so unknown paths reach the 404.
  const authenticated = [auth, userMiddleware];

  const clientOf = (res: Response) => (res.locals.auth as Authenticated).clientId;

  app.get('/health', (_req, res) => {
    res.json(engine.health());
  });
  app.get('/ready', async (_req, res) => {
    const readiness = await engine.ready();
    res.status(readiness.ready ? 200 : 503).json(readiness);
  });

  const api: Router = express.Router();
  api.get('/info', userMiddleware, (_req, res) => {
    res.json(engine.info());
  });
  api.post('/init', userMiddleware, async (req, res) => {
    const ip = addressing.clientAddress(req);
    res.json(await engine.init(req.body, { headers: req.headers, ...(ip === undefined ? {} : { ip }) }));
  });
  api.post('/token', ...authenticated, async (_req, res) => {
    res.json(await engine.refreshToken(clientOf(res)));
  });
  api.get('/definitions', ...authenticated, (req, res) => {
    res.json(engine.definitions(req.query));
  });
  api.get('/runtime', ...authenticated, async (req, res) => {
    const apis = req.query.apis as string | string[] | undefined;
    res.type('text/plain').send(await engine.runtimeDefinitions(clientOf(res), apis));
  });
  api.post('/search', ...authenticated, async (req, res) => {
    res.json(await engine.searchHybrid(req.body));
  });
  api.post('/explore', ...authenticated, (req, res) => {
    res.json(engine.explore(req.body));
  });
  api.post('/execute', ...authenticated, async (req, res) => {
    res.json(toWire(await engine.execute(clientOf(res), req.body)));
  });
  api.post('/plan', ...authenticated, async (req, res) => {
    res.json(toWire(await engine.plan(clientOf(res), req.body)));
  });
  api.get('/plan/:planId', ...authenticated, async (req, res) => {
    res.json(await engine.getPlan(clientOf(res), String(req.params.planId)));
  });
  api.post('/plan/:planId/reject', ...authenticated, async (req, res) => {
    const reason = (req.body as { reason?: unknown } | undefined)?.reason;
    res.json(
      await engine.rejectPlan(
        clientOf(res),
        String(req.params.planId),
        typeof reason === 'string' ? reason.slice(0, 1000) : undefined,
      ),
    );
  });
  api.post('/execute/stream', ...authenticated, async (req, res) => {
    await streamExecution(res, (listeners) => engine.execute(clientOf(res), req.body, listeners));
  });
  api.post('/resume/:executionId/stream', ...authenticated, async (req, res) => {
    await streamExecution(res, (listeners) =>
      engine.resume(clientOf(res), String(req.params.executionId), req.body, listeners),
    );
  });
  api.post('/resume/:executionId', ...authenticated, async (req, res) => {
    res.json(toWire(await engine.resume(clientOf(res), String(req.params.executionId), req.body)));
  });
  api.post('/cancel/:executionId', ...authenticated, async (req, res) => {
    await engine.cancel(clientOf(res), String(req.params.executionId));
    res.json({ executionId: req.params.executionId, status: 'cancelled' });
  });
  api.get('/executions', ...authenticated, async (_req, res) => {
    res.json({ executions: await engine.recentExecutions(clientOf(res)) });
  });
  api.get('/executions/:executionId', ...authenticated, async (req, res) => {
    res.json(await engine.executionTrail(clientOf(res), String(req.params.executionId)));
  });

  app.use('/api', api);
  app.use(createOAuthRouter(engine));
  // Mounts added after the app was created are still reached: the list is read per request.
  app.use((req, res, next) => {
    const mount = mounts.find(
      (candidate) => req.path === candidate.path || req.path.startsWith(`${candidate.path}/`),
    );
    if (!mount) return next();
    return mount.handler(req, res, next);
  });
  app.use(notFoundHandler);
  app.use(errorHandler(engine.logger));
  return app;
}
