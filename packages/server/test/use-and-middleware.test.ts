import { type APIGroup, ATPError } from '@agent-tool-protocol/protocol';
import { createServer, type Middleware } from '@agent-tool-protocol/server';
import { startServer, TEST_SECRET } from './support/http';

const group = (name: string, answer: string): APIGroup => ({
  name,
  type: 'custom',
  functions: [{ name: 'ping', handler: () => answer }],
});

const base = { auth: { jwtSecret: TEST_SECRET }, execution: { isolatePoolSize: 0 } };

async function run(
  url: string,
  code: string,
): Promise<{ status: string; result?: unknown; error?: unknown }> {
  const init = (await (await fetch(`${url}/api/init`, { method: 'POST' })).json()) as {
    clientId: string;
    token: string;
  };
  const response = await fetch(`${url}/api/execute`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${init.token}`,
      'x-client-id': init.clientId,
    },
    body: JSON.stringify({ code }),
  });
  return (await response.json()) as { status: string; result?: unknown };
}

describe('server.use(…) with API groups', () => {
  it('registers several groups, arrays of groups and promises of groups; listen() waits for the promises', async () => {
    const server = createServer(base);
    let resolveLate!: (group: APIGroup) => void;
    const late = new Promise<APIGroup>((resolve) => {
      resolveLate = resolve;
    });
    server.use(group('a', 'A'), [group('b', 'B')], Promise.resolve(group('c', 'C')), late);
    const listening = server.listen(0);
    setTimeout(() => resolveLate(group('d', 'D')), 50);
    await listening;
    try {
      const out = await run(
        server.url!,
        'return [await api.a.ping(), await api.b.ping(), await api.c.ping(), await api.d.ping()];',
      );
      expect(out).toMatchObject({ status: 'completed', result: ['A', 'B', 'C', 'D'] });
      // After start, a promised group is added when it resolves.
      server.use(Promise.resolve(group('e', 'E')));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(server.engine.catalog.getGroup('e')).toBeDefined();
    } finally {
      await server.shutdown(100);
    }
  });

  it('a rejected group promise fails listen() with a clear error, never an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const server = createServer(base);
    try {
      server.use(group('ok', 'fine'), Promise.reject(new Error('spec not found (404)')));
      await new Promise((resolve) => setTimeout(resolve, 20));
      await expect(server.listen(0)).rejects.toThrow(
        /The server cannot start: an API group promise given to use\(\) \(#1\) was rejected: spec not found \(404\)/,
      );
      expect(server.port).toBeUndefined();
      expect(unhandled).toEqual([]);
      // The failure is reported once; the groups that did resolve are kept.
      await server.listen(0);
      expect(await run(server.url!, 'return await api.ok.ping();')).toMatchObject({ result: 'fine' });
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await server.shutdown(100);
    }
  });

  it('without listen() (handler()), a failed group promise is logged', async () => {
    const errors: string[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (_fields: unknown, message?: string) => void errors.push(String(message)),
      child: () => logger,
    };
    const server = createServer({ ...base, logger: logger as never });
    server.use(Promise.reject(new Error('spec not found (404)')));
    await new Promise((resolve) => setTimeout(resolve, 10));
    server.handler();
    server.use(Promise.reject(new Error('MCP server exited')));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(errors).toEqual([
      'API group not added: an API group promise given to use() (#1) was rejected: spec not found (404)',
      'API group not added: an API group promise given to use() (#2) was rejected: MCP server exited',
    ]);
    await server.shutdown(100);
  });

  it('rejects anything that is not middleware, a group or a promise, naming the argument', () => {
    const server = createServer(base);
    expect(() => (server.use as (...values: unknown[]) => unknown)(group('a', 'A'), 'github')).toThrow(
      /use\(\) argument 2 is string "github": use\(\) takes middleware/,
    );
    expect(() => (server.use as (...values: unknown[]) => unknown)({ name: 'x' })).toThrow(
      /use\(\) argument 1 is an object with keys name/,
    );
    expect(() => (server.use as (...values: unknown[]) => unknown)()).toThrow(/use\(\) needs/);
    // Nothing of a refused call is registered.
    expect(server.engine.catalog.getGroup('a')).toBeUndefined();
  });

  it('a promise resolving to something else than a group fails listen() naming it', async () => {
    const server = createServer(base);
    server.use(Promise.resolve({ spec: 'not a group' }) as unknown as Promise<APIGroup>);
    await expect(server.listen(0)).rejects.toThrow(/resolved to an object with keys spec, not an API group/);
  });
});

describe('start() and listen() ports', () => {
  it('accept a port given as a string, as in start(process.env.PORT || 3333)', async () => {
    const server = createServer(base);
    await server.start('0');
    try {
      expect(server.port).toBeGreaterThan(0);
    } finally {
      await server.shutdown(100);
    }
    await expect(createServer(base).start('eighty')).rejects.toThrow(
      /The port must be an integer from 0 to 65535 \(got "eighty"\)/,
    );
  });
});

describe('middleware', () => {
  it('sees the full path, and await next() returns after the route answered', async () => {
    const events: string[] = [];
    const timing: Middleware = async (context, next) => {
      events.push(`before ${context.method} ${context.path}`);
      await next();
      events.push(`after ${context.path} ${context.res.statusCode} finished=${context.res.writableFinished}`);
    };
    const h = await startServer({}, (server) => {
      server.use(timing);
      server.addAPIGroup({
        name: 'work',
        type: 'custom',
        functions: [{ name: 'step', handler: () => void events.push('route') }],
      });
    });
    try {
      const client = await h.init();
      events.length = 0;
      const response = await h.call('POST', '/api/execute', {
        body: { code: 'await api.work.step({}); return 1;' },
        headers: client.headers,
      });
      expect(response.status).toBe(200);
      expect(events).toEqual(['before POST /api/execute', 'route', 'after /api/execute 200 finished=true']);
    } finally {
      await h.close();
    }
  });

  it('an error a middleware throws before next() answers through the error handler; the route does not run', async () => {
    let routeRan = false;
    const h = await startServer({}, (server) => {
      server.use(async (context, next) => {
        if (context.path === '/api/execute') {
          throw new ATPError('FORBIDDEN', 'Executions are paused for maintenance.', { httpStatus: 403 });
        }
        await next();
      });
      server.addAPIGroup({
        name: 'work',
        type: 'custom',
        functions: [
          {
            name: 'step',
            handler: () => {
              routeRan = true;
            },
          },
        ],
      });
    });
    try {
      const client = await h.init();
      const response = await h.call('POST', '/api/execute', {
        body: { code: 'await api.work.step({}); return 1;' },
        headers: client.headers,
      });
      expect(response.status).toBe(403);
      expect(response.json).toEqual({ error: 'Executions are paused for maintenance.', code: 'FORBIDDEN' });
      expect(routeRan).toBe(false);
    } finally {
      await h.close();
    }
  });
});
