import { randomUUID } from 'node:crypto';
import {
  type ATPEngine,
  createEngine,
  createSystemMemoryStore,
  type EngineConfigInput,
} from '@agent-tool-protocol/engine';
import { type APIGroup, type CacheProvider, ErrorCode, MemoryCache } from '@agent-tool-protocol/protocol';
import { RedisCache } from '@agent-tool-protocol/providers';
import { RedisServerProcess } from '@agent-tool-protocol/testing';

jest.setTimeout(60_000);

const SECRET = 'quota-test-secret-0123456789';

const dataGroup: APIGroup = {
  name: 'data',
  type: 'custom',
  functions: [
    {
      name: 'blob',
      description: 'A string of `size` characters',
      handler: (input: unknown) => 'x'.repeat((input as { size: number }).size),
    },
  ],
};

/** Records the TTL of every write, around any cache provider. */
function recordingTTLs(inner: CacheProvider): {
  cache: CacheProvider;
  ttls: Map<string, number | undefined>;
} {
  const ttls = new Map<string, number | undefined>();
  const cache = new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'set') {
        return (key: string, value: unknown, ttl?: number) => {
          ttls.set(key, ttl);
          return target.set(key, value, ttl);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { cache, ttls };
}

let redis: RedisServerProcess;
const opened: { close?(): Promise<void> }[] = [];
const engines: ATPEngine[] = [];

beforeAll(async () => {
  redis = await RedisServerProcess.start();
});
afterAll(async () => {
  for (const engine of engines) await engine.shutdown(100);
  for (const store of opened) await store.close?.();
  await redis.stop();
});

/** A fresh store of each kind: two engines given the same one act as two instances sharing it. */
const STORES: [string, () => CacheProvider][] = [
  ['memory', () => new MemoryCache({ maxEntries: 100_000 })],
  [
    'redis',
    () => {
      const store = new RedisCache({ redis: redis.url, keyPrefix: `q:${randomUUID()}:` });
      opened.push(store);
      return store;
    },
  ],
];

function engineOn(cache: CacheProvider, config: EngineConfigInput = {}): ATPEngine {
  const engine = createEngine({
    auth: { jwtSecret: SECRET },
    cache,
    apiGroups: [dataGroup],
    logger: { level: 'silent' },
    ...config,
    execution: { isolatePoolSize: 0, ...config.execution },
  });
  engines.push(engine);
  return engine;
}

describe.each(STORES)('per-client quotas, enforced the same way with a %s store', (_kind, newStore) => {
  it('atp.cache: keys and bytes per client, a clear QUOTA_EXCEEDED, no effect on another client', async () => {
    const engine = engineOn(newStore(), { quotas: { cache: { maxEntries: 5, maxBytes: 50_000 } } });
    const a = await engine.init({});
    const b = await engine.init({});
    const fill = `
      const results = [];
      for (let i = 0; i < 8; i++) {
        try { await atp.cache.set('k' + i, 'v' + i); results.push('ok'); }
        catch (error) { results.push([error.code, error.details.quota, error.details.limit]); }
      }
      return results;`;
    const filled = await engine.execute(a.clientId, { code: fill });
    expect(filled.result).toEqual([
      ...Array(5).fill('ok'),
      ...Array(3).fill([ErrorCode.QUOTA_EXCEEDED, 'quotas.cache.maxEntries', 5]),
    ]);
    // Another client has its own quota; A's values are intact.
    expect((await engine.execute(b.clientId, { code: fill })).result).toEqual(filled.result);
    const read = await engine.execute(a.clientId, {
      code: "return [await atp.cache.get('k0'), await atp.cache.get('k4'), await atp.cache.get('k5')]",
    });
    expect(read.result).toEqual(['v0', 'v4', null]);
    // Deleting frees room; bytes are counted too.
    const more = await engine.execute(a.clientId, {
      code: `
        for (let i = 0; i < 5; i++) await atp.cache.delete('k' + i);
        await atp.cache.set('big', 'x'.repeat(40_000));
        try { await atp.cache.set('bigger', 'y'.repeat(20_000)); return 'stored'; }
        catch (error) { return { code: error.code, details: error.details, message: error.message }; }`,
    });
    expect(more.result).toMatchObject({
      code: ErrorCode.QUOTA_EXCEEDED,
      details: { quota: 'quotas.cache.maxBytes', limit: 50_000 },
      message: expect.stringContaining('quotas.cache.maxBytes (50000 bytes)'),
    });
  });

  it('atp.cache: a default TTL for values stored without one, and a maximum', async () => {
    const { cache: userCache, ttls } = recordingTTLs(newStore());
    const engine = engineOn(newStore(), {
      userCache,
      quotas: { cache: { defaultTTLSeconds: 120, maxTTLSeconds: 600 } },
    });
    const { clientId } = await engine.init({});
    await engine.execute(clientId, {
      code: "await atp.cache.set('plain', 1); await atp.cache.set('short', 1, 30); await atp.cache.set('long', 1, 1e9);",
    });
    expect(ttls.get(`atp:cache:${clientId}:plain`)).toBe(120);
    expect(ttls.get(`atp:cache:${clientId}:short`)).toBe(30);
    expect(ttls.get(`atp:cache:${clientId}:long`)).toBe(600);
  });

  it('atp.cache quotas hold across two instances sharing the store', async () => {
    const store = newStore();
    const quotas = { cache: { maxEntries: 5 } };
    const one = engineOn(store, { quotas });
    const two = engineOn(store, { quotas });
    const { clientId } = await one.init({});
    const write = (prefix: string) => ({
      code: `const out = []; for (let i = 0; i < 3; i++) { try { await atp.cache.set('${prefix}' + i, i); out.push('ok'); } catch (e) { out.push(e.code); } } return out;`,
    });
    expect((await one.execute(clientId, write('a'))).result).toEqual(['ok', 'ok', 'ok']);
    expect((await two.execute(clientId, write('b'))).result).toEqual(['ok', 'ok', 'QUOTA_EXCEEDED']);
  });

  it('init: the number and bytes of client tools are bounded (413 QUOTA_EXCEEDED), nothing is kept', async () => {
    const engine = engineOn(newStore(), { quotas: { init: { maxTools: 3, maxToolBytes: 2_000 } } });
    const tool = (name: string, description = 'd') => ({
      name,
      description,
      inputSchema: { type: 'object' },
    });
    await expect(engine.init({ tools: [tool('a'), tool('b'), tool('c'), tool('d')] })).rejects.toMatchObject({
      code: ErrorCode.QUOTA_EXCEEDED,
      httpStatus: 413,
      details: { quota: 'quotas.init.maxTools', limit: 3, used: 4 },
    });
    await expect(engine.init({ tools: [tool('a', 'x'.repeat(3_000))] })).rejects.toMatchObject({
      code: ErrorCode.QUOTA_EXCEEDED,
      details: { quota: 'quotas.init.maxToolBytes', limit: 2_000 },
    });
    const ok = await engine.init({ tools: [tool('a'), tool('b')] });
    expect(ok.clientId).toMatch(/^cli_/);
  });

  it('paused state: bytes per client over every instance; freed when an execution ends', async () => {
    const store = newStore();
    const config = { quotas: { paused: { maxBytes: 500_000 } }, execution: { maxHotPaused: 0 } };
    const one = engineOn(store, config);
    const two = engineOn(store, config);
    const { clientId } = await one.init({ services: { hasLLM: true } });
    const code =
      'const text = await api.data.blob({ size: 300000 }); return text.length + (await atp.llm.call("q")).length;';
    const first = await one.execute(clientId, { code });
    expect(first.status).toBe('paused');
    // The journal of the first (300 KB) and of the second do not fit together, on either instance.
    const second = await two.execute(clientId, { code });
    expect(second).toMatchObject({
      status: 'failed',
      error: {
        code: ErrorCode.QUOTA_EXCEEDED,
        details: { quota: 'quotas.paused.maxBytes', limit: 500_000 },
      },
    });
    expect(second.error?.message).toMatch(/quotas\.paused\.maxBytes/);
    // Resumed elsewhere (durable) and finished: the room is back.
    const done = await two.resume(clientId, first.executionId, { result: 'ab' });
    expect(done).toMatchObject({ status: 'completed', result: 300_002 });
    const third = await one.execute(clientId, { code });
    expect(third.status).toBe('paused');
    // Another client is not affected by this client's usage.
    const other = await two.init({ services: { hasLLM: true } });
    expect((await two.execute(other.clientId, { code })).status).toBe('paused');
  });

  it('execution.maxPausedPerClient counts paused executions on every instance (429 beyond it)', async () => {
    const store = newStore();
    const config = { execution: { maxPausedPerClient: 2 } };
    const one = engineOn(store, config);
    const two = engineOn(store, config);
    const { clientId } = await one.init({ services: { hasLLM: true } });
    const pause = { code: 'return await atp.llm.call("q")' };
    const first = await one.execute(clientId, pause);
    expect((await two.execute(clientId, pause)).status).toBe('paused');
    await expect(one.execute(clientId, pause)).rejects.toMatchObject({
      code: ErrorCode.TOO_MANY_EXECUTIONS,
      httpStatus: 429,
      message: expect.stringContaining('execution.maxPausedPerClient is 2'),
    });
    await two.cancel(clientId, first.executionId);
    expect((await two.execute(clientId, pause)).status).toBe('paused');
  });

  it('log and callback payload quotas come from the engine config', async () => {
    const engine = engineOn(newStore(), {
      quotas: { logs: { maxBytes: 10_000 }, callbacks: { maxPayloadBytes: 1_000 } },
    });
    const { clientId } = await engine.init({ services: { hasLLM: true } });
    const result = await engine.execute(clientId, {
      code: `
        for (let i = 0; i < 10; i++) atp.log.info('line', { data: 'z'.repeat(3_000) });
        try { await atp.llm.call('p'.repeat(2_000)); } catch (error) { return error.details; }`,
    });
    expect(result.result).toEqual({ quota: 'quotas.callbacks.maxPayloadBytes', limit: 1_000, used: 2_013 });
    expect(result.logs).toHaveLength(4);
    expect(result.logs?.at(-1)?.data).toEqual({
      code: ErrorCode.QUOTA_EXCEEDED,
      quota: 'quotas.logs.maxBytes',
      limit: 10_000,
    });
  });
});

describe('separate stores for system state and atp.cache data', () => {
  it('without a cache, atp.cache data lives in its own store, never in the system store', async () => {
    const engine = createEngine({ auth: { jwtSecret: SECRET }, execution: { isolatePoolSize: 0 } });
    engines.push(engine);
    expect(engine.userCache).not.toBe(engine.cache);
    const { clientId } = await engine.init({});
    await engine.execute(clientId, { code: "await atp.cache.set('k', 'v')" });
    expect(await engine.userCache.get(`atp:cache:${clientId}:k`)).toBe('v');
    expect(await engine.cache.get(`atp:cache:${clientId}:k`)).toBeUndefined();
    // With only a cache configured, atp.cache shares it (under its own key prefix).
    const shared = new MemoryCache();
    const sharing = engineOn(shared);
    expect(sharing.userCache).toBe(shared);
  });

  it('the in-memory system store has a budget per kind of state: a full one refuses writes, the others work', async () => {
    const engine = engineOn(createSystemMemoryStore({ sessionsBytes: 4_000 }));
    const client = await engine.init({ services: { hasLLM: true } });
    let refusal: unknown;
    for (let i = 0; i < 100 && refusal === undefined; i++) {
      await engine.init({}).catch((error: unknown) => {
        refusal = error;
      });
    }
    expect(refusal).toMatchObject({ code: ErrorCode.PROVIDER_ERROR, httpStatus: 503, retryable: true });
    expect((refusal as Error).message).toMatch(/session store is full/);
    // Clients that exist keep working: their executions pause and resume.
    const paused = await engine.execute(client.clientId, { code: 'return await atp.llm.call("q")' });
    expect(paused.status).toBe('paused');
    const done = await engine.resume(client.clientId, paused.executionId, { result: 'a' });
    expect(done).toMatchObject({ status: 'completed', result: 'a' });
  });

  it('warns at startup when the system Redis may evict keys, or atp.cache shares a bounded Redis', async () => {
    const admin = new RedisCache({ redis: redis.url, keyPrefix: 'admin:' });
    opened.push(admin);
    expect(await admin.ping()).toBe(true);
    const raw = await admin.redisClient();
    try {
      await raw.config('SET', 'maxmemory', String(256 * 1024 * 1024));
      await raw.config('SET', 'maxmemory-policy', 'allkeys-lru');
      const store = new RedisCache({ redis: redis.url, keyPrefix: `w:${randomUUID()}:` });
      opened.push(store);
      const warnings = await engineOn(store).checkStorage();
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toMatch(/maxmemory-policy allkeys-lru.*noeviction/);
      expect(warnings[1]).toMatch(/atp\.cache data shares the system store/);
      await raw.config('SET', 'maxmemory-policy', 'noeviction');
      const separate = new RedisCache({ redis: redis.url, keyPrefix: `u:${randomUUID()}:` });
      opened.push(separate);
      expect(await engineOn(store, { userCache: separate }).checkStorage()).toEqual([]);
    } finally {
      await raw.config('SET', 'maxmemory', '0');
    }
  });
});
