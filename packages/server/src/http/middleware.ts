import type { Request, Response } from 'express';

/** What a middleware `async (context, next) => {}` receives (the original ATP server's `RequestContext`). */
export interface RequestContext {
  req: Request;
  res: Response;
  method: string;
  /** The full path of the request, without its query: `/api/execute`. */
  path: string;
  headers: Request['headers'];
  body: unknown;
  /** Set for authenticated routes. */
  clientId?: string;
  /** The client's address, as `http.trustProxy` resolves it. */
  ip?: string;
  /** Free space for middleware to pass values along. */
  state: Record<string, unknown>;
}

/** The earlier name of `RequestContext`. */
export type MiddlewareContext = RequestContext;

/**
 * `await next()` runs the middlewares after this one and then the route, and returns once the route has
 * answered (so code after it can measure or log the whole request). A middleware that does not call
 * `next` ends the request there; it should answer through `context.res`.
 */
export type Middleware = (context: RequestContext, next: () => Promise<void>) => Promise<void> | void;

/** Runs `middlewares` in order, then `route` when the last one calls `next`. */
export async function runMiddleware(
  middlewares: readonly Middleware[],
  context: RequestContext,
  route: () => Promise<void>,
): Promise<void> {
  const dispatch = async (index: number): Promise<void> => {
    const middleware = middlewares[index];
    if (middleware)
      await middleware(
        context,
        once(() => dispatch(index + 1)),
      );
    else await route();
  };
  await dispatch(0);
}

/** `next` called twice runs the rest of the chain once; the second call waits for the same run. */
function once(run: () => Promise<void>): () => Promise<void> {
  let started: Promise<void> | undefined;
  return () => {
    started ??= run();
    return started;
  };
}
