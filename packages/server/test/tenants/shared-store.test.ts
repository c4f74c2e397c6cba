/**
 * Issue: one bounded store held sessions, paused executions, journals, history and `atp.cache` data,
 * so ~100,000 `atp.cache` writes by one client evicted another client's paused execution, cached
 * values, history and session. Here the same flood runs against a real server (in memory), and
 * against two real instances sharing real Redis servers set up as docs/deployment.md says.
 */
import { randomUUID } from 'node:crypto';
import { RedisCache } from '@agent-tool-protocol/providers';
import { RedisServerProcess } from '@agent-tool-protocol/testing';
import { heapAfterGc } from '../reliability/support/memory';
import { startServer } from '../support/http';

jest.setTimeout(360_000);

/** Generous limits: the machine running the suite may be loaded; no assertion is about time. */
const SLOW = { timeout: 150_000 };

/**
 * The heap the server holds once the flood is over: the least of several full collections over a few
 * seconds, so work still winding down (isolates being disposed, responses being freed) is not counted.
 */
async function settledHeap(): Promise<number> {
  let least = heapAfterGc();
  for (let i = 0; i < 8; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    least = Math.min(least, heapAfterGc());
  }
  return least;
}

type Harness = Awaited<ReturnType<typeof startServer>>;
type Client = Awaited<ReturnType<Harness['init']>>;

const MB = 1024 * 1024;

/** One client's writes: `executions` × `perExecution` distinct atp.cache keys of `valueBytes` each. */
async function flood(
  h: Harness,
  client: Client,
  options: { executions: number; perExecution: number; valueBytes: number; prefix: string },
) {
  let stored = 0;
  let refused = 0;
  const codes = new Set<string>();
  for (let run = 0; run < options.executions; run++) {
    const reply = await h.call('POST', '/api/execute', {
      headers: client.headers,
      body: {
        config: { maxToolCalls: options.perExecution + 10, ...SLOW },
        code: `
          const value = 'v'.repeat(${options.valueBytes});
          let stored = 0, refused = 0; const codes = new Set();
          for (let i = 0; i < ${options.perExecution}; i++) {
            try { await atp.cache.set('${options.prefix}-${run}-' + i, value); stored++; }
            catch (error) { refused++; codes.add(error.code); }
          }
          return { stored, refused, codes: [...codes] };`,
      },
    });
    expect(reply.status).toBe(200);
    expect(reply.json.status).toBe('completed');
    stored += reply.json.result.stored;
    refused += reply.json.result.refused;
    for (const code of reply.json.result.codes) codes.add(code);
  }
  return { stored, refused, codes: [...codes] };
}

/** A victim with two paused executions, a cached value, history and a session. */
async function victimState(h: Harness) {
  const victim = await h.init({ services: { hasLLM: true } });
  const kept = await h.call('POST', '/api/execute', {
    headers: victim.headers,
    body: { code: "await atp.cache.set('mine', { note: 'keep me' }); return 'stored';" },
  });
  expect(kept.json.result).toBe('stored');
  const paused: string[] = [];
  for (let i = 0; i < 2; i++) {
    const reply = await h.call('POST', '/api/execute', {
      headers: victim.headers,
      body: {
        code: "const t = await api.tickets.list({}); return t.length + ':' + (await atp.llm.call('go?'));",
      },
    });
    expect(reply.json.status).toBe('paused');
    paused.push(reply.json.executionId as string);
  }
  return { victim, paused };
}

async function expectVictimIntact(
  h: Harness,
  victim: Client,
  executionId: string,
  options: { cachedValue: boolean },
) {
  const history = await h.call('GET', '/api/executions', { headers: victim.headers });
  expect(history.status).toBe(200);
  expect(history.json.executions.map((entry: { executionId: string }) => entry.executionId)).toContain(
    executionId,
  );
  if (options.cachedValue) {
    const read = await h.call('POST', '/api/execute', {
      headers: victim.headers,
      body: { code: "return await atp.cache.get('mine')" },
    });
    expect(read.json).toMatchObject({ status: 'completed', result: { note: 'keep me' } });
  }
  const resumed = await h.call('POST', `/api/resume/${executionId}`, {
    headers: victim.headers,
    body: { result: 'yes' },
  });
  expect(resumed.status).toBe(200);
  expect(resumed.json).toMatchObject({ status: 'completed', result: '30:yes' });
}

describe('tenants: atp.cache data can never evict system state', () => {
  it('in memory: 100,000 atp.cache writes by one client are refused beyond its quota; the victim keeps everything', async () => {
    const h = await startServer({ execution: { maxToolCalls: 10_000, ...SLOW } });
    try {
      const state = await victimState(h);
      const attacker = await h.init();
      const before = await settledHeap();
      const started = Date.now();
      const result = await flood(h, attacker, {
        executions: 10,
        perExecution: 10_000,
        valueBytes: 100,
        prefix: 'flood',
      });
      const heldBytes = (await settledHeap()) - before;
      process.stdout.write(
        `tenants (memory): 100,000 atp.cache writes in ${Date.now() - started} ms: ${result.stored} stored, ${result.refused} refused ${JSON.stringify(result.codes)}; heap held after the flood: ${(heldBytes / MB).toFixed(1)} MB; rss ${(process.memoryUsage().rss / MB).toFixed(0)} MB\n`,
      );
      expect(result.stored).toBe(1_000); // quotas.cache.maxEntries
      expect(result.refused).toBe(99_000);
      expect(result.codes).toEqual(['QUOTA_EXCEEDED']);
      // The quota bounds what the flood keeps (the counts above). The heap held is reported, not asserted:
      // alone this test holds ~2 MB after the flood, but in a jest worker shared with earlier test files
      // the measurement picked up ~67 MB from outside this server.
      await expectVictimIntact(h, state.victim, state.paused[0]!, { cachedValue: true });
      await expectVictimIntact(h, state.victim, state.paused[1]!, { cachedValue: true });
      // The attacker is bounded, not broken: deleting frees room again.
      const again = await h.call('POST', '/api/execute', {
        headers: attacker.headers,
        body: {
          code: "await atp.cache.delete('flood-0-0'); await atp.cache.set('after', 1); return await atp.cache.get('after');",
        },
      });
      expect(again.json).toMatchObject({ status: 'completed', result: 1 });
    } finally {
      await h.close();
    }
  });

  describe('with Redis: two instances, system state on a noeviction Redis, atp.cache on an allkeys-lru Redis', () => {
    let systemRedis: RedisServerProcess;
    let userRedis: RedisServerProcess;
    let admin: RedisCache[];
    let raw: {
      system: Awaited<ReturnType<RedisCache['redisClient']>>;
      user: Awaited<ReturnType<RedisCache['redisClient']>>;
    };

    beforeAll(async () => {
      [systemRedis, userRedis] = await Promise.all([RedisServerProcess.start(), RedisServerProcess.start()]);
      admin = [systemRedis, userRedis].map(
        (server) => new RedisCache({ redis: server.url, keyPrefix: 'admin:' }),
      );
      await Promise.all(admin.map((cache) => cache.ping()));
      raw = { system: await admin[0]!.redisClient(), user: await admin[1]!.redisClient() };
      await raw.system.config('SET', 'maxmemory-policy', 'noeviction');
      await raw.user.config('SET', 'maxmemory', String(24 * MB));
      await raw.user.config('SET', 'maxmemory-policy', 'allkeys-lru');
    });
    afterAll(async () => {
      await Promise.all(admin.map((cache) => cache.close()));
      await Promise.all([systemRedis.stop(), userRedis.stop()]);
    });

    it('floods from one client and from many fill only the atp.cache Redis; the victim resumes on the other instance', async () => {
      const prefix = `t:${randomUUID()}:`;
      const caches: RedisCache[] = [];
      const opened = (url: string) => {
        const cache = new RedisCache({ redis: url, keyPrefix: prefix });
        caches.push(cache);
        return cache;
      };
      const stores = () => ({ cache: opened(systemRedis.url), userCache: opened(userRedis.url) });
      const config = { execution: { maxToolCalls: 10_000, maxHotPaused: 0, ...SLOW } };
      const one = await startServer({ ...config, ...stores() });
      const two = await startServer({ ...config, ...stores() });
      try {
        expect(await one.server.engine.checkStorage()).toEqual([]);
        const state = await victimState(one);
        const systemBefore = Number((await raw.system.info('memory')).match(/used_memory:(\d+)/)?.[1]);

        // One client, 30,000 writes on the other instance: bounded by its quota.
        const attacker = await two.init();
        const single = await flood(two, attacker, {
          executions: 3,
          perExecution: 10_000,
          valueBytes: 100,
          prefix: 'a',
        });
        expect(single).toEqual({ stored: 1_000, refused: 29_000, codes: ['QUOTA_EXCEEDED'] });
        await expectVictimIntact(one, state.victim, state.paused[0]!, { cachedValue: true });

        // Many clients, each within its quota (4 × 9 MB), more than the atp.cache Redis holds (24 MB):
        // it evicts atp.cache data (its policy), and only there.
        const many = await Promise.all(Array.from({ length: 4 }, () => two.init()));
        const results = await Promise.all(
          many.map((client, index) =>
            flood(two, client, {
              executions: 1,
              perExecution: 9,
              valueBytes: 1_000_000,
              prefix: `m${index}`,
            }),
          ),
        );
        expect(results.map((result) => result.stored)).toEqual([9, 9, 9, 9]);
        const evicted = Number((await raw.user.info('stats')).match(/evicted_keys:(\d+)/)?.[1]);
        expect(evicted).toBeGreaterThan(0);
        expect(Number((await raw.system.info('stats')).match(/evicted_keys:(\d+)/)?.[1])).toBe(0);
        const systemAfter = Number((await raw.system.info('memory')).match(/used_memory:(\d+)/)?.[1]);
        process.stdout.write(
          `tenants (redis): atp.cache Redis evicted ${evicted} keys; system Redis used_memory ${(systemBefore / MB).toFixed(1)} → ${(systemAfter / MB).toFixed(1)} MB, evicted 0\n`,
        );
        expect(systemAfter - systemBefore).toBeLessThan(4 * MB);

        // The victim's session, history and paused execution are intact, on the other instance
        // (a durable resume there). Its cached value may have been evicted with the others'.
        await expectVictimIntact(two, state.victim, state.paused[1]!, { cachedValue: false });
      } finally {
        await one.close();
        await two.close();
        await Promise.all(caches.map((cache) => cache.close()));
      }
    });
  });
});
