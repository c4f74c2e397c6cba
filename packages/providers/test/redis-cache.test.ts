import { randomUUID } from 'node:crypto';
import { isATPError, ProviderError, ValidationError } from '@agent-tool-protocol/protocol';
import { RedisCache } from '@agent-tool-protocol/providers';
import { RedisServerProcess } from '@agent-tool-protocol/testing';
import { Redis } from 'ioredis';
import { describeCacheProvider } from './cache-provider-suite';

// Starting redis-server and waiting out reconnects can exceed jest's 5 s default on a busy machine.
jest.setTimeout(30_000);

let redisServer: RedisServerProcess;

beforeAll(async () => {
  redisServer = await RedisServerProcess.start();
});

afterAll(async () => {
  await redisServer.stop();
});

// Each test gets its own key prefix on the shared redis-server, so tests never see each other's keys.
describeCacheProvider(
  'RedisCache',
  () => new RedisCache({ redis: redisServer.url, keyPrefix: `t:${randomUUID()}:` }),
);

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('RedisCache', () => {
  it('rejects options without a redis connection, naming the field', () => {
    expect(() => new RedisCache({} as never)).toThrow(ValidationError);
    expect(() => new RedisCache({} as never)).toThrow(/redis/);
    expect(() => new RedisCache({ redis: redisServer.url, defaultTTL: -1 })).toThrow(/defaultTTL/);
  });

  it('stores JSON under the key prefix, visible to any client of the same Redis', async () => {
    const raw = new Redis(redisServer.url);
    const cache = new RedisCache({ redis: redisServer.url, keyPrefix: 'atp-prefix-test:' });
    try {
      await cache.set('session:1', { clientId: 'c1' });
      expect(await raw.get('atp-prefix-test:session:1')).toBe('{"clientId":"c1"}');
      const other = new RedisCache({ redis: raw, keyPrefix: 'atp-prefix-test:' });
      expect(await other.get('session:1')).toEqual({ clientId: 'c1' });
      const unrelated = new RedisCache({ redis: raw, keyPrefix: 'elsewhere:' });
      expect(await unrelated.has('session:1')).toBe(false);
    } finally {
      await cache.close();
      raw.disconnect();
    }
  });

  it('applies defaultTTL to writes without a TTL', async () => {
    const raw = new Redis(redisServer.url);
    const cache = new RedisCache({
      redis: redisServer.url,
      keyPrefix: `ttl:${randomUUID()}:`,
      defaultTTL: 30,
    });
    try {
      await cache.set('k', 1);
      const ttl = await raw.pttl(`${(cache as unknown as { prefix: string }).prefix}k`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(30_000);
    } finally {
      await cache.close();
      raw.disconnect();
    }
  });

  it('leaves a client it was given open on close()', async () => {
    const raw = new Redis(redisServer.url);
    try {
      const cache = new RedisCache({ redis: raw });
      expect(await cache.ping()).toBe(true);
      await cache.close();
      expect(await raw.ping()).toBe('PONG');
    } finally {
      raw.disconnect();
    }
  });

  it('fails with a ProviderError when Redis cannot be reached at startup', async () => {
    const down = await RedisServerProcess.start();
    await down.stop();
    const cache = new RedisCache({ redis: down.url });
    try {
      const error = await cache.get('k').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).code).toBe('PROVIDER_ERROR');
      expect((error as ProviderError).retryable).toBe(true);
      expect((error as Error).message).toMatch(
        new RegExp(`Redis at 127\\.0\\.0\\.1:${down.port} is unavailable`),
      );
      expect(await cache.ping()).toBe(false);
    } finally {
      await cache.close();
    }
  });

  it('fails fast with clear errors while Redis is down and recovers when it returns', async () => {
    const server = await RedisServerProcess.start();
    const cache = new RedisCache({ redis: server.url, keyPrefix: 'outage:' });
    // A client the application made with ioredis defaults (offline queue on) must fail fast too.
    const ownClient = new Redis(server.url);
    const sharedClientCache = new RedisCache({
      redis: ownClient,
      keyPrefix: 'outage:',
      commandTimeoutMs: 1_000,
    });
    try {
      await cache.set('before', 'ok');
      expect(await cache.get('before')).toBe('ok');
      expect(await sharedClientCache.get('before')).toBe('ok');

      await server.stop();
      // Every operation, including ones that were queued mid-outage, fails with a ProviderError.
      const failures = await Promise.all([
        cache.get('k').catch((error: unknown) => error),
        cache.set('k', 1).catch((error: unknown) => error),
        cache.setIfAbsent('lock', 'me', 10).catch((error: unknown) => error),
        cache.append('journal', 1).catch((error: unknown) => error),
        cache.increment('n').catch((error: unknown) => error),
      ]);
      for (const failure of failures) {
        expect(isATPError(failure)).toBe(true);
        expect(failure).toBeInstanceOf(ProviderError);
        expect((failure as Error).message).toMatch(/Redis at 127\.0\.0\.1:\d+/);
      }
      const keysFailure = await (async () => {
        for await (const _ of cache.keys('')) {
          // no keys expected
        }
      })().catch((error: unknown) => error);
      expect(keysFailure).toBeInstanceOf(ProviderError);
      expect(await cache.ping()).toBe(false);
      const sharedFailure = await sharedClientCache.get('before').catch((error: unknown) => error);
      expect(sharedFailure).toBeInstanceOf(ProviderError);
      expect((sharedFailure as Error).message).toMatch(/unavailable|no answer/);
      // Still down a while later: errors again, no hang.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await expect(cache.get('k')).rejects.toBeInstanceOf(ProviderError);

      await server.start();
      expect(await eventually(() => cache.ping(), Boolean)).toBe(true);
      await cache.set('after', { ok: true });
      expect(await cache.get('after')).toEqual({ ok: true });
      expect(await cache.append('journal', 'first')).toBe(1);
      expect(await cache.setIfAbsent('lock', 'me', 10)).toBe(true);
      expect(await eventually(() => sharedClientCache.ping(), Boolean)).toBe(true);
      expect(await sharedClientCache.get('after')).toEqual({ ok: true });
    } finally {
      await cache.close();
      ownClient.disconnect();
      await server.stop();
    }
  });

  it("reports the server's maxmemory and eviction policy, and shares its client with rate limiters", async () => {
    const raw = new Redis(redisServer.url);
    const cache = new RedisCache({ redis: redisServer.url, keyPrefix: 'policy-test:' });
    try {
      await raw.config('SET', 'maxmemory-policy', 'allkeys-lru');
      await raw.config('SET', 'maxmemory', String(512 * 1024 * 1024));
      expect(await cache.memoryPolicy()).toEqual({ maxBytes: 512 * 1024 * 1024, policy: 'allkeys-lru' });
      await raw.config('SET', 'maxmemory-policy', 'noeviction');
      await raw.config('SET', 'maxmemory', '0');
      expect(await cache.memoryPolicy()).toEqual({ maxBytes: 0, policy: 'noeviction' });
      expect(cache.keyPrefix).toBe('policy-test:');
      expect(await (await cache.redisClient()).ping()).toBe('PONG');
    } finally {
      await cache.close();
      raw.disconnect();
    }
  });
});
