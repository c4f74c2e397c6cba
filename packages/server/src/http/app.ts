import type { ATPEngine, StreamListeners } from '@agent-tool-protocol/engine';
import type { ExecutionResult, TokenResponse } from '@agent-tool-protocol/protocol';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import type { ServerConfig } from '../config.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { httpTracing } from './http-tracing.js';
import { initRateLimit } from './init-rate-limit.js';
import { rejectDeepJson } from './json-depth.js';
import { type Middleware, runMiddleware } from './middleware.js';
import { ExecutionEventStream } from './sse.js';

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
    stream.finish(result);
  } catch (error) {
    if (!started) throw error;
    stream.fail(error);
  }
}

/** The express app: every route of PROTOCOL.md over one engine. */
export interface Mount {
  path: string;
  handler: RequestHandler;
}

export function createApp(
  engine: ATPEngine,
  http: ServerConfig['http'],
  middlewares: readonly Middleware[],
  mounts: readonly Mount[],
): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(httpTracing(engine.observability.tracer, engine.observability.instruments));
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

  const userMiddleware = async (req: Request, res: Response, next: NextFunction) => {
    if (middlewares.length === 0) return next();
    const completed = await runMiddleware(middlewares, {
      req,
      res,
      method: req.method,
      path: req.path,
      headers: req.headers,
      body: req.body,
      ...(res.locals.auth ? { clientId: (res.locals.auth as Authenticated).clientId } : {}),
      state: res.locals,
    });
    if (completed && !res.headersSent) next();
  };

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
  api.post('/init', initRateLimit(engine.config.clientInit), userMiddleware, async (req, res) => {
    const forwarded = header(req, 'x-forwarded-for');
    res.json(
      await engine.init(req.body, { headers: req.headers, ...(req.ip ? { ip: forwarded ?? req.ip } : {}) }),
    );
  });
  api.use(auth, userMiddleware);
  api.post('/token', async (_req, res) => {
    res.json(await engine.refreshToken(clientOf(res)));
  });
  api.get('/definitions', (req, res) => {
    res.json(engine.definitions(req.query));
  });
  api.get('/runtime', async (req, res) => {
    const apis = req.query.apis as string | string[] | undefined;
    res.type('text/plain').send(await engine.runtimeDefinitions(clientOf(res), apis));
  });
  api.post('/search', async (req, res) => {
    res.json(await engine.searchHybrid(req.body));
  });
  api.post('/explore', (req, res) => {
    res.json(engine.explore(req.body));
  });
  api.post('/execute', async (req, res) => {
    res.json(await engine.execute(clientOf(res), req.body));
  });
  api.post('/plan', async (req, res) => {
    res.json(await engine.plan(clientOf(res), req.body));
  });
  api.get('/plan/:planId', async (req, res) => {
    res.json(await engine.getPlan(clientOf(res), String(req.params.planId)));
  });
  api.post('/plan/:planId/reject', async (req, res) => {
    const reason = (req.body as { reason?: unknown } | undefined)?.reason;
    res.json(
      await engine.rejectPlan(
        clientOf(res),
        String(req.params.planId),
        typeof reason === 'string' ? reason.slice(0, 1000) : undefined,
      ),
    );
  });
  api.post('/execute/stream', async (req, res) => {
    await streamExecution(res, (listeners) => engine.execute(clientOf(res), req.body, listeners));
  });
  api.post('/resume/:executionId/stream', async (req, res) => {
    await streamExecution(res, (listeners) =>
      engine.resume(clientOf(res), String(req.params.executionId), req.body, listeners),
    );
  });
  api.post('/resume/:executionId', async (req, res) => {
    res.json(await engine.resume(clientOf(res), String(req.params.executionId), req.body));
  });
  api.post('/cancel/:executionId', async (req, res) => {
    await engine.cancel(clientOf(res), String(req.params.executionId));
    res.json({ executionId: req.params.executionId, status: 'cancelled' });
  });
  api.get('/executions', async (_req, res) => {
    res.json({ executions: await engine.recentExecutions(clientOf(res)) });
  });
  api.get('/executions/:executionId', async (req, res) => {
    res.json(await engine.executionTrail(clientOf(res), String(req.params.executionId)));
  });

  app.use('/api', api);
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
