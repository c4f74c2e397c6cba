import type { Request, Response } from 'express';

/** What a seed-style middleware `async (ctx, next) => {}` receives. */
export interface MiddlewareContext {
  req: Request;
  res: Response;
  method: string;
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

export type Middleware = (context: MiddlewareContext, next: () => Promise<void>) => Promise<void> | void;

/** Runs `middlewares` in order; a middleware that does not call `next` ends the chain. */
export async function runMiddleware(
  middlewares: readonly Middleware[],
  context: MiddlewareContext,
): Promise<boolean> {
  let reached = -1;
  const dispatch = async (index: number): Promise<void> => {
    reached = Math.max(reached, index);
    const middleware = middlewares[index];
    if (middleware) await middleware(context, () => dispatch(index + 1));
  };
  await dispatch(0);
  return reached >= middlewares.length;
}
