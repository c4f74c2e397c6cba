import { connect, type Socket } from 'node:net';
import { startServer } from '../support/http';
import { heapAfterGc } from './support/memory';
import { headFor, rawRequest } from './support/raw-http';

type Harness = Awaited<ReturnType<typeof startServer>>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with how long the server took to close `socket` (or `limitMs` if it never did). */
function closedWithin(socket: Socket, limitMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(limitMs), limitMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
  });
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('reliability: resource accounting', () => {
  it('slow-loris clients are dropped after http.headersTimeoutMs / requestTimeoutMs while others are served', async () => {
    const h = await startServer({ http: { headersTimeoutMs: 800, requestTimeoutMs: 1_500 } });
    const sockets: Socket[] = [];
    try {
      const port = h.server.port as number;
      // 30 clients trickling header bytes, 10 sending complete headers and then a body that never ends.
      for (let i = 0; i < 30; i++) {
        const socket = await open(port);
        socket.write('POST /api/init HTTP/1.1\r\nHost: 127.0.0.1\r\n');
        sockets.push(socket);
      }
      for (let i = 0; i < 10; i++) {
        const socket = await open(port);
        socket.write(headFor('POST', '/api/init', { 'Content-Type': 'application/json' }, 'x'.repeat(1000)));
        socket.write('{"clientInfo": {');
        sockets.push(socket);
      }
      const trickle = setInterval(() => {
        for (const socket of sockets.slice(0, 30))
          if (!socket.destroyed) socket.write(`X-Slow-${Date.now()}: 1\r\n`);
        for (const socket of sockets.slice(30)) if (!socket.destroyed) socket.write(' ');
      }, 200);
      try {
        const closing = sockets.map((socket) => closedWithin(socket, 10_000));
        // Meanwhile a normal client is served.
        const { headers } = await h.init();
        const served = await h.call('POST', '/api/execute', { headers, body: { code: 'return 2' } });
        expect(served.json).toMatchObject({ status: 'completed', result: 2 });
        const times = await Promise.all(closing);
        process.stdout.write(
          `reliability slow-loris: 40 slow sockets dropped after at most ${Math.max(...times)} ms\n`,
        );
        expect(Math.max(...times)).toBeLessThan(10_000);
      } finally {
        clearInterval(trickle);
      }
    } finally {
      for (const socket of sockets) socket.destroy();
      await h.close();
    }
  }, 30_000);

  it('connections beyond http.maxConnections are closed on arrival; the server keeps serving', async () => {
    const h = await startServer({ http: { maxConnections: 20 } });
    const sockets: Socket[] = [];
    try {
      const port = h.server.port as number;
      for (let i = 0; i < 20; i++) sockets.push(await open(port));
      const extra = await open(port);
      expect(await closedWithin(extra, 3_000)).toBeLessThan(3_000);
      for (const socket of sockets) socket.destroy();
      await sleep(100);
      expect((await h.call('GET', '/health')).status).toBe(200);
    } finally {
      for (const socket of sockets) socket.destroy();
      await h.close();
    }
  });

  it('a flood of init calls is bounded per address and globally (429 with Retry-After)', async () => {
    const h = await startServer({ clientInit: { maxInitsPerMinutePerIp: 40, maxInitsPerMinute: 60 } });
    try {
      const port = h.server.port as number;
      const init = (localAddress: string) =>
        rawRequest(
          port,
          headFor('POST', '/api/init', { 'Content-Type': 'application/json' }, '{}'),
          '{}',
          15_000,
          localAddress,
        );
      const first = await Promise.all(Array.from({ length: 70 }, () => init('127.0.0.1')));
      const firstStatuses = first.map((reply) => reply.status);
      expect(firstStatuses.filter((status) => status === 200)).toHaveLength(40);
      expect(firstStatuses.filter((status) => status === 429)).toHaveLength(30);
      const limited = first.find((reply) => reply.status === 429);
      expect(Number(limited?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(limited?.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(limited?.json?.error).toMatch(/maxInitsPerMinutePerIp/);
      // Another address has its own bucket until the global one is spent.
      const second = await Promise.all(Array.from({ length: 30 }, () => init('127.0.0.2')));
      expect(second.filter((reply) => reply.status === 200)).toHaveLength(20);
      const global = second.find((reply) => reply.status === 429);
      expect(global?.json?.error).toMatch(/clientInit\.maxInitsPerMinute\)/);
      // Clients that already have a token are unaffected.
      const ok = first.find((reply) => reply.status === 200)?.json as { clientId: string; token: string };
      const served = await h.call('POST', '/api/execute', {
        headers: { authorization: `Bearer ${ok.token}`, 'x-client-id': ok.clientId },
        body: { code: 'return 3' },
      });
      expect(served.json).toMatchObject({ status: 'completed', result: 3 });
    } finally {
      await h.close();
    }
  });

  it('1,000 open paused executions: bounded hot isolates and per-client count, all still resumable', async () => {
    const h: Harness = await startServer({ execution: { maxHotPaused: 50, maxPausedPerClient: 100 } });
    try {
      const baseline = heapAfterGc();
      const clients = await Promise.all(
        Array.from({ length: 10 }, () => h.init({ services: { hasLLM: true } })),
      );
      const paused: { executionId: string; callbackId: string; client: number }[] = [];
      await Promise.all(
        clients.map(async (client, index) => {
          // Four at a time per client (below maxConcurrentPerClient), 100 per client.
          for (let batch = 0; batch < 25; batch++) {
            const replies = await Promise.all(
              Array.from({ length: 4 }, (_, i) =>
                h.call('POST', '/api/execute', {
                  headers: client.headers,
                  body: { code: `return "answer " + (await atp.llm.call("q${batch * 4 + i}"));` },
                }),
              ),
            );
            for (const reply of replies) {
              expect(reply.json.status).toBe('paused');
              paused.push({
                executionId: reply.json.executionId,
                callbackId: reply.json.needsCallback.id,
                client: index,
              });
            }
          }
        }),
      );
      expect(paused).toHaveLength(1000);
      expect(h.server.engine.pausedExecutions).toBe(1000);
      expect(h.server.engine.executor.stats().hotPaused).toBeLessThanOrEqual(50);
      const heldBytes = heapAfterGc() - baseline;
      process.stdout.write(
        `reliability: 1,000 paused executions hold ${Math.round(heldBytes / 1024 / 1024)} MB of host heap\n`,
      );
      expect(heldBytes).toBeLessThan(128 * 1024 * 1024);

      // The 101st paused execution of one client is refused with a clear 429.
      const over = await h.call('POST', '/api/execute', {
        headers: (clients[0] as { headers: Record<string, string> }).headers,
        body: { code: 'return 1' },
      });
      expect(over.status).toBe(429);
      expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(over.json.error).toMatch(/execution\.maxPausedPerClient is 100/);

      // Oldest (evicted to the durable path) and newest (hot) ones still resume.
      const samples = [paused[0], paused[1], paused[500], paused[999]] as (typeof paused)[number][];
      for (const sample of samples) {
        const resumed = await h.call('POST', `/api/resume/${sample.executionId}`, {
          headers: (clients[sample.client] as { headers: Record<string, string> }).headers,
          body: { results: [{ id: sample.callbackId, result: 'ok' }] },
        });
        expect(resumed.json).toMatchObject({ status: 'completed', result: 'answer ok' });
      }
      expect(h.server.engine.pausedExecutions).toBe(996);
      // Cancelling frees room: client 0 can start again.
      const own = paused.find(
        (entry) => entry.client === 0 && !samples.includes(entry),
      ) as (typeof paused)[number];
      const cancelled = await h.call('POST', `/api/cancel/${own.executionId}`, {
        headers: (clients[0] as { headers: Record<string, string> }).headers,
        body: {},
      });
      expect(cancelled.status).toBe(200);
      const again = await h.call('POST', '/api/execute', {
        headers: (clients[0] as { headers: Record<string, string> }).headers,
        body: { code: 'return 1' },
      });
      expect(again.json).toMatchObject({ status: 'completed', result: 1 });
    } finally {
      await h.close();
    }
  }, 120_000);
});
