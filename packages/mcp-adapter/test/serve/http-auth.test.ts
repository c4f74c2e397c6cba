import { createATPMCPHTTPHandler } from '@agent-tool-protocol/mcp-adapter';
import { createServer } from '@agent-tool-protocol/server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { json } from './harness';
import { warehouse } from './warehouse';

describe('ATP over MCP HTTP: who may connect', () => {
  const server = createServer({
    auth: { jwtSecret: 'mcp-adapter-test-secret-long-enough' },
    execution: { isolatePoolSize: 0 },
  });
  server.addAPIGroup(warehouse().group);
  // The engine's auth provider sees the MCP request's headers when the session's ATP client is created.
  server.setAuthProvider({
    name: 'test-keys',
    authenticate: async (request) =>
      request.headers['x-user'] === 'alice'
        ? { allowed: true, userId: 'alice' }
        : { allowed: false, reason: 'unknown user' },
  });
  const handler = createATPMCPHTTPHandler(server.engine, {
    authorize: (req) => req.headers['x-gateway-key'] === 'open-sesame',
  });
  server.mount('/mcp', handler);
  const hostOnly = createATPMCPHTTPHandler(server.engine, { allowedHosts: ['mcp.example'] });
  server.mount('/host-checked', hostOnly);
  const originOnly = createATPMCPHTTPHandler(server.engine, { allowedOrigins: ['https://app.example'] });
  server.mount('/origin-checked', originOnly);
  const clients: Client[] = [];
  const connect = async (headers: Record<string, string>) => {
    const client = new Client({ name: 'auth-test', version: '1.0.0' });
    clients.push(client);
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers } }),
    );
    return client;
  };

  beforeAll(() => server.listen(0));
  afterAll(async () => {
    await Promise.allSettled(clients.map((client) => client.close()));
    await handler.close();
    await hostOnly.close();
    await originOnly.close();
    await server.shutdown(1000);
  });

  it('answers 401 when the authorize hook says no', async () => {
    const response = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }),
    });
    expect(response.status).toBe(401);
    await expect(connect({ 'x-gateway-key': 'wrong' })).rejects.toThrow();
  });

  it("passes the request headers to the engine's auth provider", async () => {
    const anonymous = await connect({ 'x-gateway-key': 'open-sesame' });
    const denied = await anonymous.callTool({ name: 'execute_code', arguments: { code: 'return 1' } });
    expect(denied.isError).toBe(true);
    expect(json(denied).error).toMatchObject({
      code: 'UNAUTHORIZED',
      message: expect.stringContaining('unknown user'),
    });

    const alice = await connect({ 'x-gateway-key': 'open-sesame', 'x-user': 'alice' });
    const allowed = await alice.callTool({ name: 'execute_code', arguments: { code: 'return 1 + 1' } });
    expect(json(allowed)).toEqual({ status: 'completed', result: 2 });
  });

  it('answers 403 to hosts and origins outside the allow lists (DNS-rebinding protection)', async () => {
    const initialize = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
    });
    const post = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
        body: initialize,
      });
    const wrongHost = await post('/host-checked');
    expect(wrongHost.status).toBe(403);
    expect(await wrongHost.text()).toContain('is not allowed');
    const wrongOrigin = await post('/origin-checked', { origin: 'https://evil.example' });
    expect(wrongOrigin.status).toBe(403);
    const rightOrigin = await post('/origin-checked', { origin: 'https://app.example' });
    expect(rightOrigin.status).toBe(200);
    await rightOrigin.body?.cancel();
  });
});
