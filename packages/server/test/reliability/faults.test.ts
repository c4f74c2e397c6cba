import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import { MemoryCache } from '@agent-tool-protocol/protocol';
import { RedisCache } from '@agent-tool-protocol/providers';
import { RedisServerProcess } from '@agent-tool-protocol/testing';
import { startServer } from '../support/http';
import { startFlakyUpstream } from './support/flaky-upstream';

type Harness = Awaited<ReturnType<typeof startServer>>;
type Headers = Record<string, string>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function execute(h: Harness, headers: Headers, code: string) {
  return h.call('POST', '/api/execute', { headers, body: { code } });
}

describe('reliability: faults', () => {
  it('an upstream OpenAPI service that 500s, hangs, resets and sends malformed JSON: each call fails clearly, the server stays up', async () => {
    const upstream = await startFlakyUpstream();
    const group = await loadOpenAPI({
      name: 'flaky',
      spec: upstream.spec,
      timeout: 800,
      retry: false,
      namespaceByTag: false,
    });
    const h = await startServer();
    try {
      h.server.addAPIGroup(group);
      const { headers } = await h.init();
      const code = `
        const outcome = async (call) => { try { return { ok: await call() }; } catch (e) { return { error: String(e.message) }; } };
        return {
          fine: await outcome(() => api.flaky.fine()),
          fails: await outcome(() => api.flaky.fails()),
          hangs: await outcome(() => api.flaky.hangs()),
          resets: await outcome(() => api.flaky.resets()),
          malformed: await outcome(() => api.flaky.malformed()),
        };`;
      const reply = await execute(h, headers, code);
      expect(reply.status).toBe(200);
      expect(reply.json.status).toBe('completed');
      const result = reply.json.result as Record<string, { ok?: unknown; error?: string }>;
      expect(result.fine).toEqual({ ok: { ok: true } });
      expect(result.fails?.error).toMatch(/500/);
      expect(result.hangs?.error).toMatch(/timed out after 800 ms/);
      expect(result.resets?.error).toMatch(/\S/);
      // Broken JSON labelled application/json reaches the agent as the raw text (openapi's
      // documented fallback), never as a half-parsed object and never as a server error.
      expect(result.malformed).toEqual({ ok: '{"ok": tru' });
      // An uncaught upstream failure fails the execution, with the upstream's message: not a 5xx.
      const uncaught = await execute(h, headers, 'return await api.flaky.fails();');
      expect(uncaught.status).toBe(200);
      expect(uncaught.json).toMatchObject({ status: 'failed' });
      expect(JSON.stringify(uncaught.json.error)).toMatch(/500/);
      expect(await execute(h, headers, 'return 1')).toMatchObject({
        json: { status: 'completed', result: 1 },
      });
      expect(h.server.engine.runningExecutions).toBe(0);
    } finally {
      await h.close();
      await upstream.close();
    }
  });

  it('a client that disappears while paused: its state expires on time and nothing is left behind', async () => {
    const cache = new MemoryCache();
    const h = await startServer({ executionState: { ttl: 1, maxPauseDuration: 1 }, cache });
    try {
      const { headers } = await h.init({ services: { hasLLM: true } });
      const paused = await Promise.all(
        Array.from({ length: 5 }, () => execute(h, headers, 'return await atp.llm.call("never answered");')),
      );
      for (const reply of paused) expect(reply.json.status).toBe('paused');
      expect(h.server.engine.pausedExecutions).toBe(5);
      expect(h.server.engine.executor.stats().hotPaused).toBe(5);

      await sleep(2_200);
      const leftover: string[] = [];
      for await (const key of cache.keys('')) {
        if (paused.some((reply) => key.includes(reply.json.executionId))) leftover.push(key);
      }
      expect(leftover).toEqual([]);
      expect(h.server.engine.executor.stats().hotPaused).toBe(0);
      expect(h.server.engine.pausedExecutions).toBe(0);
      const late = await h.call('POST', `/api/resume/${paused[0]?.json.executionId}`, {
        headers,
        body: { result: 'too late' },
      });
      expect(late.status).toBe(404);
      expect(late.json.code).toBe('EXECUTION_NOT_FOUND');
    } finally {
      await h.close();
    }
  });

  it('shutdown (what SIGTERM calls) during load: in-flight executions finish, new ones are refused, paused ones resume on the next instance', async () => {
    const cache = new MemoryCache();
    const first = await startServer({ cache });
    const { headers } = await first.init({ services: { hasLLM: true } });
    const paused = await Promise.all(
      Array.from({ length: 3 }, (_, i) =>
        execute(first, headers, `return "resumed " + (await atp.llm.call("q${i}"));`),
      ),
    );
    for (const reply of paused) expect(reply.json.status).toBe('paused');
    const inFlight = Array.from({ length: 4 }, () =>
      execute(first, headers, 'return (await api.tickets.wait({ ms: 600 })).waited;'),
    );
    await sleep(150);
    const stopping = first.server.shutdown(5_000);
    const refused = await execute(first, headers, 'return 1').catch((error: Error) => ({
      refused: error.message,
    }));
    for (const reply of await Promise.all(inFlight)) {
      expect(reply.status).toBe(200);
      expect(reply.json).toMatchObject({ status: 'completed', result: 600 });
    }
    await stopping;
    // Refused while draining: a 503 (retryable) or, once the listener closed, no connection at all.
    if ('status' in refused) {
      expect(refused.status).toBe(503);
      expect(refused.json.code).toBe('SERVICE_UNAVAILABLE');
    } else expect(refused.refused).toMatch(/fetch failed/);

    const second = await startServer({ cache });
    try {
      for (const [i, reply] of paused.entries()) {
        const resumed = await second.call('POST', `/api/resume/${reply.json.executionId}`, {
          headers,
          body: { result: `after restart ${i}` },
        });
        expect(resumed.json).toMatchObject({ status: 'completed', result: `resumed after restart ${i}` });
      }
    } finally {
      await second.close();
    }
  });

  it('Redis killed and restarted mid-load: what needs it fails fast with a clear PROVIDER_ERROR, nothing hangs or crashes, all recover', async () => {
    const redis = await RedisServerProcess.start();
    const cache = new RedisCache({
      redis: redis.url,
      keyPrefix: 'rel:',
      connectTimeoutMs: 500,
      commandTimeoutMs: 800,
    });
    const h = await startServer({ cache });
    const statuses: number[] = [];
    const outcomes: string[] = [];
    const problems: string[] = [];
    try {
      const clients = await Promise.all(
        Array.from({ length: 4 }, () => h.init({ services: { hasLLM: true } })),
      );
      let phase: 'up' | 'down' | 'back' = 'up';
      let lostPaused = 0;
      const deadline = Date.now() + 4_500;
      const worker = async (headers: Headers, pausing: boolean) => {
        while (Date.now() < deadline) {
          const started = Date.now();
          let reply = await execute(
            h,
            headers,
            pausing
              ? 'return "got " + (await atp.llm.call("q"));'
              : 'return (await api.tickets.list({ status: "open" })).length;',
          );
          if (reply.status === 200 && reply.json.status === 'paused') {
            statuses.push(reply.status);
            reply = await h.call('POST', `/api/resume/${reply.json.executionId}`, {
              headers,
              body: { result: 'a' },
            });
            // A resume whose state was lost with the Redis restart is a clear 404.
            if (reply.status === 404) lostPaused++;
          }
          statuses.push(reply.status);
          outcomes.push(`${phase} ${reply.status} ${reply.json?.status ?? reply.json?.code}`);
          // While Redis is away an execution that needs it fails with a retryable, clear PROVIDER_ERROR.
          const failure = JSON.stringify(reply.json?.error);
          if (
            reply.json?.status === 'failed' &&
            !(failure.includes('PROVIDER_ERROR') && failure.includes('Redis'))
          )
            problems.push(`unclear failure: ${failure}`);
          if (Date.now() - started > 10_000) problems.push(`slow answer in phase ${phase}`);
          if (reply.status === 200 && reply.json.status !== 'completed' && phase === 'up')
            problems.push(`up: ${JSON.stringify(reply.json)}`);
          if (reply.status >= 500 && reply.status !== 503) problems.push(`${reply.status} ${reply.text}`);
          if (reply.status !== 200 && !(reply.json?.error && reply.json?.code))
            problems.push(`no clear error: ${reply.text}`);
          await sleep(20);
        }
      };
      const load = Promise.all(clients.map((client, index) => worker(client.headers, index % 2 === 1)));
      await sleep(1_000);
      phase = 'down';
      await redis.stop();
      await sleep(1_200);
      await redis.start();
      phase = 'back';
      await load;
      const seen = Object.fromEntries(
        [...new Set(outcomes)].map((s) => [s, outcomes.filter((t) => t === s).length]),
      );
      process.stdout.write(`reliability redis outage: ${JSON.stringify(seen)}, ${lostPaused} paused lost\n`);
      expect(problems).toEqual([]);
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(0);
      // After Redis is back (empty: it keeps nothing on disk here), a new client works end to end.
      const fresh = await h.init({ services: { hasLLM: true } });
      const pausedAgain = await execute(h, fresh.headers, 'return await atp.llm.call("x");');
      expect(pausedAgain.json.status).toBe('paused');
      const resumed = await h.call('POST', `/api/resume/${pausedAgain.json.executionId}`, {
        headers: fresh.headers,
        body: { result: 'ok' },
      });
      expect(resumed.json).toMatchObject({ status: 'completed', result: 'ok' });
      const ready = await h.call('GET', '/ready');
      expect(ready.json.checks.cache).toBe(true);
    } finally {
      await h.close();
      await cache.close();
      await redis.stop();
    }
  }, 40_000);
});
