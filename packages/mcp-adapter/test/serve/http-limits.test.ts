import { createATPMCPHTTPHandler } from '@agent-tool-protocol/mcp-adapter';
import type { APIGroup } from '@agent-tool-protocol/protocol';
import { createServer } from '@agent-tool-protocol/server';
import { RedisServerProcess } from '@agent-tool-protocol/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Redis } from 'ioredis';
import { json } from './harness';
import { initializeBody, rpc } from './raw-mcp';

// Issue 23 item 6, the flood half: 300 initializes used to leave 300 sessions forever, with no rate limit.

const slow: APIGroup = {
  name: 'slow',
  type: 'custom',
  functions: [
    {
      name: 'wait',
      inputSchema: { type: 'object', properties: { ms: { type: 'number' } }, required: ['ms'] },
      handler: async (input) => {
        await new Promise((resolve) => setTimeout(resolve, (input as { ms: number }).ms));
        return 'done';
      },
    },
  ],
};

const server = createServer({
  auth: { jwtSecret: 'mcp-adapter-test-secret-long-enough' },
  execution: { isolatePoolSize: 0 },
  clientInit: { maxInitsPerMinutePerIp: 10_000 },
});
server.addAPIGroup(slow);
const handlers = {
  '/flood': createATPMCPHTTPHandler(server.engine, { rateLimit: false, maxSessionsPerClient: 3 }),
  '/capped': createATPMCPHTTPHandler(server.engine, {
    rateLimit: false,
    maxSessions: 4,
    maxSessionsPerClient: 2,
  }),
  '/idle': createATPMCPHTTPHandler(server.engine, { rateLimit: false, sessionIdleTimeoutMs: 400 }),
  '/limited': createATPMCPHTTPHandler(server.engine, {
    rateLimit: { maxInitsPerMinutePerIp: 3, maxInitsPerMinute: 1000 },
  }),
};
for (const [path, handler] of Object.entries(handlers)) server.mount(path, handler);

const clients: Client[] = [];
beforeAll(() => server.listen(0));
afterAll(async () => {
  await Promise.allSettled(clients.map((client) => client.close()));
  await Promise.all(Object.values(handlers).map((handler) => handler.close()));
  await server.shutdown(1000);
});

async function bearer(): Promise<Record<string, string>> {
  const { token } = await server.engine.init({});
  return { authorization: `Bearer ${token}` };
}

/** Opens a session with a raw initialize; resolves with the status and the session id (if any). */
async function open(path: string, headers: Record<string, string>) {
  const response = await rpc(`${server.url}${path}`, initializeBody(), headers);
  await response.body?.cancel();
  return { status: response.status, sessionId: response.headers.get('mcp-session-id'), response };
}

const listTools = (path: string, sessionId: string, headers: Record<string, string>) =>
  rpc(
    `${server.url}${path}`,
    { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    {
      ...headers,
      'mcp-session-id': sessionId,
    },
  );

describe('sessions are bounded', () => {
  test('300 initializes from one client leave maxSessionsPerClient sessions; other clients keep theirs', async () => {
    const bystander = await bearer();
    const kept = await open('/flood', bystander);
    expect(kept.status).toBe(200);

    const attacker = await bearer();
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const opened: string[] = [];
    for (let i = 0; i < 300; i++) {
      const { status, sessionId } = await open('/flood', attacker);
      expect(status).toBe(200);
      opened.push(sessionId!);
    }
    global.gc?.();
    const heapAfter = process.memoryUsage().heapUsed;
    expect(handlers['/flood'].sessionCount).toBe(4); // 3 of the attacker's, 1 of the bystander's
    // Evidence for the report, not an assertion (timing and heap numbers are noisy here).
    process.stderr.write(
      `mcp flood: 300 initializes, ${handlers['/flood'].sessionCount} sessions kept, heap ${Math.round(heapBefore / 1e6)} MB -> ${Math.round(heapAfter / 1e6)} MB\n`,
    );

    // The attacker's oldest sessions were closed; its newest work. The bystander's was never touched.
    expect((await listTools('/flood', opened[0]!, attacker)).status).toBe(404);
    const newest = await listTools('/flood', opened.at(-1)!, attacker);
    expect(newest.status).toBe(200);
    await newest.body?.cancel();
    const survivor = await listTools('/flood', kept.sessionId!, bystander);
    expect(survivor.status).toBe(200);
    expect(await survivor.text()).toContain('execute_code');
  });

  test('beyond maxSessions initialize gets 503; a client over its own bound only loses its own', async () => {
    const x = await bearer();
    const y = await bearer();
    const x1 = await open('/capped', x);
    const x2 = await open('/capped', x);
    const y1 = await open('/capped', y);
    const y2 = await open('/capped', y);
    expect([x1, x2, y1, y2].map((o) => o.status)).toEqual([200, 200, 200, 200]);
    const z = await open('/capped', await bearer());
    expect(z.status).toBe(503);
    expect(z.response.headers.get('retry-after')).toBe('30');
    // x opening a third closes x's least recently used session, never y's.
    const x3 = await open('/capped', x);
    expect(x3.status).toBe(200);
    expect((await listTools('/capped', x1.sessionId!, x)).status).toBe(404);
    for (const id of [y1.sessionId!, y2.sessionId!]) {
      const alive = await listTools('/capped', id, y);
      expect(alive.status).toBe(200);
      await alive.body?.cancel();
    }
  });

  test('an idle session is closed after sessionIdleTimeoutMs; one running code is not', async () => {
    const headers = await bearer();
    const idle = await open('/idle', headers);
    const client = new Client({ name: 'busy', version: '1' });
    clients.push(client);
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/idle`), { requestInit: { headers } }),
    );
    expect(handlers['/idle'].sessionCount).toBe(2);
    const running = client.callTool({
      name: 'execute_code',
      arguments: { code: 'return await api.slow.wait({ ms: 1500 })' },
    });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await listTools('/idle', idle.sessionId!, headers)).status).toBe(404);
    expect(json(await running)).toEqual({ status: 'completed', result: 'done' });
    expect(handlers['/idle'].sessionCount).toBe(1);
  });
});

describe('new sessions are rate-limited like /api/init', () => {
  test('the 4th initialize from one address in a minute gets 429; X-Forwarded-For buys no fresh bucket', async () => {
    const headers = await bearer();
    for (let i = 0; i < 3; i++) {
      expect((await open('/limited', { ...headers, 'x-forwarded-for': `10.0.0.${i}` })).status).toBe(200);
    }
    const refused = await open('/limited', { ...headers, 'x-forwarded-for': '10.0.0.99' });
    expect(refused.status).toBe(429);
    expect(Number(refused.response.headers.get('retry-after'))).toBeGreaterThan(0);
    // Counted before authentication: guessing credentials is limited too.
    expect((await open('/limited', { authorization: 'Bearer guess' })).status).toBe(429);
    // Requests within an open session are not new sessions and are not counted.
    const session = await open('/flood', headers);
    const within = await listTools('/flood', session.sessionId!, headers);
    expect(within.status).toBe(200);
    await within.body?.cancel();
  });

  test('the host decides the client address (e.g. behind a proxy it trusts)', async () => {
    const handler = createATPMCPHTTPHandler(server.engine, {
      rateLimit: { maxInitsPerMinutePerIp: 1 },
      clientAddress: (req) => String(req.headers['x-test-client'] ?? 'none'),
    });
    server.mount('/by-address', handler);
    try {
      const headers = await bearer();
      expect((await open('/by-address', { ...headers, 'x-test-client': 'a' })).status).toBe(200);
      expect((await open('/by-address', { ...headers, 'x-test-client': 'b' })).status).toBe(200);
      expect((await open('/by-address', { ...headers, 'x-test-client': 'a' })).status).toBe(429);
    } finally {
      await handler.close();
    }
  });

  test('with Redis the limit holds across instances sharing it', async () => {
    const redisServer = await RedisServerProcess.start();
    const connections = [new Redis(redisServer.url), new Redis(redisServer.url)];
    // Until a client is ready each instance counts in memory (the documented fallback while Redis is down).
    await Promise.all(connections.map((redis) => redis.ping()));
    const instances = connections.map((redis) =>
      createATPMCPHTTPHandler(server.engine, {
        rateLimit: { maxInitsPerMinutePerIp: 3, redis, keyPrefix: 'test:mcp-init' },
      }),
    );
    server.mount('/instance-a', instances[0]!);
    server.mount('/instance-b', instances[1]!);
    try {
      const headers = await bearer();
      const statuses = [];
      for (const path of ['/instance-a', '/instance-a', '/instance-b', '/instance-b', '/instance-a']) {
        statuses.push((await open(path, headers)).status);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(await connections[0]!.keys('test:mcp-init*')).not.toEqual([]);
      // Redis down: each instance counts in memory instead of failing every initialize.
      await redisServer.stop();
      expect((await open('/instance-a', headers)).status).toBe(200);
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
      await Promise.all(connections.map((redis) => redis.quit()));
      await redisServer.stop();
    }
  });
});
