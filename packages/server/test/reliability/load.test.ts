import { startServer } from '../support/http';
import { runLoad } from './support/load-driver';
import { heapAfterGc } from './support/memory';

// The short (CI) profile: a few seconds of mixed load. `pnpm test:soak` runs 200 clients and
// 10,000 executions against a child-process server (scripts/soak.ts).
describe('reliability: load', () => {
  it('serves mixed executions from concurrent clients with no unexpected error, then returns to baseline', async () => {
    // Idle keep-alive connections outlive the pause between the two phases only on the client's side:
    // with the server's default 5 s, a busy machine lets fetch reuse a socket the server is closing
    // (ECONNRESET on a new client's init), the race any HTTP client has with a shorter server timeout.
    const h = await startServer({
      execution: { isolatePoolSize: 2, maxConcurrent: 16 },
      http: { keepAliveTimeoutMs: 60_000 },
    });
    try {
      const executor = h.server.engine.executor;
      // Warm-up: the first executions load the type stripper, compile caches, fill the pool.
      await runLoad({ url: h.url, clients: 4, durationMs: 5_000, maxExecutions: 30 });
      const baseline = heapAfterGc();

      const report = await runLoad({ url: h.url, clients: 24, durationMs: 6_000, maxExecutions: 600 });
      process.stdout.write(
        `reliability load (CI profile): ${JSON.stringify({ ...report, unexpected: undefined })}\n`,
      );
      expect(report.unexpected).toEqual([]);
      expect(report.unexpectedCount).toBe(0);
      expect(report.executions).toBeGreaterThan(50);
      expect(report.byScenario.pause).toBeGreaterThan(0);
      expect(report.byScenario.api).toBeGreaterThan(0);

      // Nothing is left running or parked: every isolate went back or was disposed.
      expect(h.server.engine.runningExecutions).toBe(0);
      expect(h.server.engine.pausedExecutions).toBe(0);
      expect(executor.stats()).toMatchObject({ activeExecutions: 0, hotPaused: 0 });
      const after = heapAfterGc();
      // Sessions and per-client history are kept on purpose (bounded); a leak per execution
      // would grow far beyond this across hundreds of executions.
      expect(after - baseline).toBeLessThan(48 * 1024 * 1024);
      const health = await h.call('GET', '/health');
      expect(health.status).toBe(200);
    } finally {
      await h.close();
    }
  }, 60_000);

  it('answers over-capacity requests with 429 and Retry-After, never a hang, and recovers', async () => {
    const h = await startServer({ execution: { maxConcurrent: 3, maxConcurrentPerClient: 2 } });
    try {
      const clients = await Promise.all([h.init(), h.init(), h.init(), h.init()]);
      const replies = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          h.call('POST', '/api/execute', {
            headers: (clients[i % clients.length] as { headers: Record<string, string> }).headers,
            body: { code: 'return (await api.tickets.wait({ ms: 400 })).waited;' },
          }),
        ),
      );
      const statuses = replies.map((reply) => reply.status);
      expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(3);
      for (const reply of replies) {
        if (reply.status === 200) expect(reply.json).toMatchObject({ status: 'completed', result: 400 });
        else {
          expect(reply.headers.get('retry-after')).toMatch(/^\d+$/);
          expect(reply.json).toMatchObject({ code: 'TOO_MANY_EXECUTIONS' });
          expect(reply.json.error ?? reply.json.message).toMatch(/maximum|limit/);
        }
      }
      const after = await h.call('POST', '/api/execute', {
        headers: (clients[0] as { headers: Record<string, string> }).headers,
        body: { code: 'return 1' },
      });
      expect(after.json).toMatchObject({ status: 'completed', result: 1 });
      expect(h.server.engine.runningExecutions).toBe(0);
    } finally {
      await h.close();
    }
  });
});
