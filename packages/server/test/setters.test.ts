import { type AuthProvider, MemoryCache } from '@agent-tool-protocol/protocol';
import { createServer } from '@agent-tool-protocol/server';
import { TEST_SECRET } from './support/http';
import { supportDesk } from './support/support-desk';

const keyAuth = (key: string): AuthProvider => ({
  name: 'key',
  authenticate: async (request) =>
    request.headers['x-key'] === key ? { allowed: true } : { allowed: false, reason: 'wrong key' },
});

describe("the original server's setters", () => {
  it('setCacheProvider, setAuthProvider and use(middleware) before start() configure the engine built at start', async () => {
    const cache = new MemoryCache();
    const seen: string[] = [];
    const server = createServer({ auth: { jwtSecret: TEST_SECRET }, execution: { isolatePoolSize: 0 } })
      .setCacheProvider(cache)
      .setAuthProvider(keyAuth('k1'))
      .use(async (context, next) => {
        seen.push(context.path);
        await next();
      })
      .use(supportDesk().group);
    await server.start(0);
    try {
      expect(server.engine.cache).toBe(cache);
      const refused = await fetch(`${server.url}/api/init`, { method: 'POST' });
      expect(refused.status).toBe(401);
      const init = await fetch(`${server.url}/api/init`, { method: 'POST', headers: { 'x-key': 'k1' } });
      const { clientId } = (await init.json()) as { clientId: string };
      expect(await cache.get(`atp:session:${clientId}`)).toMatchObject({ clientId });
      expect(seen).toEqual(['/api/init', '/api/init']);
      expect(server.engine.catalog.getGroup('tickets')).toBeDefined();
    } finally {
      await server.shutdown(100);
    }
  });

  it('throws a clear error for a setter called after the engine was built; API groups may still be added', async () => {
    const server = createServer({ auth: { jwtSecret: TEST_SECRET }, execution: { isolatePoolSize: 0 } });
    await server.listen(0);
    try {
      expect(() => server.setCacheProvider(new MemoryCache())).toThrow(
        /setCacheProvider\(\) must be called before the server starts/,
      );
      expect(() => server.setAuthProvider(keyAuth('k'))).toThrow(/setAuthProvider\(\) must be called before/);
      expect(() => server.use(async (_context, next) => next())).toThrow(
        /use\(middleware\) must be called before/,
      );
      server.addAPIGroup(supportDesk().group);
      expect(server.engine.search({ query: 'close ticket' }).results[0]?.functionName).toBe('close');
    } finally {
      await server.shutdown(100);
    }
  });

  it('reading server.engine builds the engine, so later setters throw too', () => {
    const server = createServer({ auth: { jwtSecret: TEST_SECRET }, execution: { isolatePoolSize: 0 } });
    expect(server.engine).toBe(server.engine);
    expect(() => server.setCacheProvider(new MemoryCache())).toThrow(/engine was already built/);
    return server.shutdown(100);
  });

  it('validates what a setter is given, naming the field', () => {
    const server = createServer({ auth: { jwtSecret: TEST_SECRET } });
    expect(() => server.setCacheProvider({} as never)).toThrow(
      /server config: cache: must be a CacheProvider/,
    );
    expect(() => server.setAuthProvider({} as never)).toThrow(/auth\.provider: must be an AuthProvider/);
  });

  it('otel.enabled with a synchronous engine read says how to get the SDK', () => {
    const server = createServer({ auth: { jwtSecret: TEST_SECRET }, otel: { enabled: true } });
    expect(() => server.handler()).toThrow(/@agent-tool-protocol\/server\/otel/);
  });
});
