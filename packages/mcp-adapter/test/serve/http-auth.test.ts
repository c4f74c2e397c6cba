import { createATPMCPHTTPHandler } from '@agent-tool-protocol/mcp-adapter';
import { createServer } from '@agent-tool-protocol/server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { json } from './harness';
import { initializeBody, rpc } from './raw-mcp';
import { warehouse } from './warehouse';

type RpcError = { error: { message: string } };

// The attacks of issue 23 item 6 against a real ATP server with /mcp mounted as `atp serve` mounts it:
// running code without credentials, and using another client's session.
describe('ATP over MCP HTTP: who may connect', () => {
  const server = createServer({
    auth: { jwtSecret: 'mcp-adapter-test-secret-long-enough' },
    execution: { isolatePoolSize: 0 },
  });
  server.addAPIGroup(warehouse().group);
  const keys = {
    name: 'test-keys',
    authenticate: async (request: { headers: Record<string, string | string[] | undefined> }) => {
      const key = request.headers['x-api-key'];
      return key === 'alice-key-0123456789' || key === 'bob-key-0123456789'
        ? { allowed: true as const, userId: key.split('-')[0] }
        : { allowed: false as const, reason: 'Invalid API key.' };
    },
  };
  const handlers = {
    // The default: client tokens from /api/init, nothing else.
    '/mcp': createATPMCPHTTPHandler(server.engine),
    '/keys': createATPMCPHTTPHandler(server.engine, { authProvider: keys }),
    '/gated': createATPMCPHTTPHandler(server.engine, {
      allowAnonymous: true,
      authorize: (req) => req.headers['x-gateway-key'] === 'open-sesame',
    }),
    '/open': createATPMCPHTTPHandler(server.engine, { allowAnonymous: true }),
    '/host-checked': createATPMCPHTTPHandler(server.engine, {
      allowAnonymous: true,
      allowedHosts: ['mcp.example'],
    }),
    '/origin-checked': createATPMCPHTTPHandler(server.engine, {
      allowAnonymous: true,
      allowedOrigins: ['https://app.example'],
    }),
  };
  for (const [path, handler] of Object.entries(handlers)) server.mount(path, handler);
  const clients: Client[] = [];
  const connect = async (path: string, headers: Record<string, string> = {}) => {
    const client = new Client({ name: 'auth-test', version: '1.0.0' });
    clients.push(client);
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}${path}`), { requestInit: { headers } }),
    );
    return client;
  };
  const token = async () => {
    const response = await fetch(`${server.url}/api/init`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    return (await response.json()) as { clientId: string; token: string };
  };
  const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

  beforeAll(() => server.listen(0));
  afterAll(async () => {
    await Promise.allSettled(clients.map((client) => client.close()));
    await Promise.all(Object.values(handlers).map((handler) => handler.close()));
    await server.shutdown(1000);
  });

  it('refuses to run code without credentials (401, no session is opened)', async () => {
    const before = handlers['/mcp'].sessionCount;
    const response = await rpc(`${server.url}/mcp`, initializeBody());
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await response.json()) as RpcError).error.message).toBe(
      'Unauthorized: Missing credentials: send `Authorization: Bearer <token>` with a client token from POST /api/init.',
    );
    await expect(connect('/mcp')).rejects.toThrow();
    await expect(connect('/mcp', bearer('not-a-token'))).rejects.toThrow();
    expect(handlers['/mcp'].sessionCount).toBe(before);
  });

  it('accepts a client token from /api/init; the session acts as that client', async () => {
    const { token: value } = await token();
    const client = await connect('/mcp', bearer(value));
    const result = await client.callTool({ name: 'execute_code', arguments: { code: 'return 6 * 7' } });
    expect(json(result)).toEqual({ status: 'completed', result: 42 });
    // The execution is in that client's /api history, not in a hidden one.
    const history = await fetch(`${server.url}/api/executions`, { headers: bearer(value) });
    const { executions } = (await history.json()) as { executions: { status: string }[] };
    expect(executions).toHaveLength(1);
    expect(executions[0]).toMatchObject({ status: 'completed' });
  });

  it("answers 404 to a session id used with another client's token, and 401 without one", async () => {
    const alice = await token();
    const mallory = await token();
    const opened = await rpc(`${server.url}/mcp`, initializeBody(), bearer(alice.token));
    expect(opened.status).toBe(200);
    await opened.body?.cancel();
    const sessionId = opened.headers.get('mcp-session-id')!;
    const list = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
    const stolen = await rpc(`${server.url}/mcp`, list, {
      ...bearer(mallory.token),
      'mcp-session-id': sessionId,
    });
    expect(stolen.status).toBe(404);
    const anonymous = await rpc(`${server.url}/mcp`, list, { 'mcp-session-id': sessionId });
    expect(anonymous.status).toBe(401);
    const ended = await fetch(`${server.url}/mcp`, {
      method: 'DELETE',
      headers: { ...bearer(mallory.token), 'mcp-session-id': sessionId },
    });
    expect(ended.status).toBe(404);
    const owner = await rpc(`${server.url}/mcp`, list, {
      ...bearer(alice.token),
      'mcp-session-id': sessionId,
    });
    expect(owner.status).toBe(200);
    expect(await owner.text()).toContain('execute_code');
  });

  it('accepts what the auth provider accepts, and binds sessions to its user', async () => {
    const response = await rpc(`${server.url}/keys`, initializeBody(), { 'x-api-key': 'wrong' });
    expect(response.status).toBe(401);
    expect(((await response.json()) as RpcError).error.message).toBe('Unauthorized: Invalid API key.');
    const alice = await connect('/keys', { 'x-api-key': 'alice-key-0123456789' });
    const result = await alice.callTool({ name: 'execute_code', arguments: { code: 'return 1 + 1' } });
    expect(json(result)).toEqual({ status: 'completed', result: 2 });
    const sessionId = (alice.transport as StreamableHTTPClientTransport).sessionId!;
    const asBob = await rpc(
      `${server.url}/keys`,
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      { 'x-api-key': 'bob-key-0123456789', 'mcp-session-id': sessionId },
    );
    expect(asBob.status).toBe(404);
    // A client token works on the same endpoint too.
    const viaToken = await connect('/keys', bearer((await token()).token));
    expect((await viaToken.listTools()).tools).toHaveLength(3);
  });

  it('runs the authorize hook first, and serves anonymously only when told to', async () => {
    const gated = await rpc(`${server.url}/gated`, initializeBody());
    expect(gated.status).toBe(401);
    const through = await connect('/gated', { 'x-gateway-key': 'open-sesame' });
    expect(json(await through.callTool({ name: 'execute_code', arguments: { code: 'return 3' } }))).toEqual({
      status: 'completed',
      result: 3,
    });
    // Anonymous and auth-provider sessions make their own ATP client with the MCP client's capabilities.
    const open = await connect('/open');
    expect((await open.listTools()).tools).toHaveLength(3);
    const noSampling = await open.callTool({
      name: 'execute_code',
      arguments: { code: "return await atp.llm.call('hi')" },
    });
    expect(json(noSampling).hint).toBe('atp.llm.* is unavailable: the MCP client does not support sampling.');
  });

  it('answers 403 to hosts and origins outside the allow lists (DNS-rebinding protection)', async () => {
    const wrongHost = await rpc(`${server.url}/host-checked`, initializeBody());
    expect(wrongHost.status).toBe(403);
    expect(await wrongHost.text()).toContain('is not allowed');
    const wrongOrigin = await rpc(`${server.url}/origin-checked`, initializeBody(), {
      origin: 'https://evil.example',
    });
    expect(wrongOrigin.status).toBe(403);
    const rightOrigin = await rpc(`${server.url}/origin-checked`, initializeBody(), {
      origin: 'https://app.example',
    });
    expect(rightOrigin.status).toBe(200);
    await rightOrigin.body?.cancel();
  });

  it('rejects bad options naming the field', () => {
    expect(() => createATPMCPHTTPHandler(server.engine, { maxSessions: 0 })).toThrow(/maxSessions/);
    expect(() => createATPMCPHTTPHandler(server.engine, { authProvider: {} as never })).toThrow(
      /authProvider/,
    );
    expect(() => createATPMCPHTTPHandler(server.engine, { nme: 'x' } as never)).toThrow(/nme/);
  });
});
