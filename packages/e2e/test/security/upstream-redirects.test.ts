import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { loadGraphQL } from '@agent-tool-protocol/graphql';
import { MCPConnector } from '@agent-tool-protocol/mcp-adapter';
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import { createServer } from '@agent-tool-protocol/server';
import { RecordingServer, sendJson } from '../../../openapi/test/helpers/recording-server';
import { EchoMcpServer } from './support/echo-mcp-server';

// Issue 23 item 4: a configured upstream answering 302 → http://127.0.0.1:<other>/… must not hand the
// internal response to the sandbox. Two real HTTP servers on port 0 (the upstream and an "internal" one),
// a real ATP server, agent code run through the real client.

const TOKEN = 'svc_live_redirect_secret_7781';
const INTERNAL_DATA = { secret: 'internal-admin-data-only-on-loopback' };

const internal = new RecordingServer();
const upstream = new RecordingServer();
const mcpUpstream = new EchoMcpServer();
const connector = new MCPConnector();
const server = createServer({
  auth: { jwtSecret: 'security-e2e-jwt-secret-long-enough' },
  execution: { isolatePoolSize: 1 },
  logger: { level: 'silent' },
});
let client: AgentToolProtocolClient;

const spec = (name: string) => ({
  openapi: '3.0.3',
  info: { title: name, version: '1' },
  paths: {
    '/data': {
      get: {
        operationId: 'getData',
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: {} } } } },
      },
    },
  },
});

beforeAll(async () => {
  await internal.start();
  await upstream.start();
  await mcpUpstream.start();
  internal.respond = (_request, response) => sendJson(response, 200, INTERNAL_DATA);
  upstream.respond = (request, response) => {
    // Every path of the upstream points at the internal server, keeping the method (307).
    response.writeHead(request.path === '/data' ? 302 : 307, {
      location: `${internal.url}/admin${request.path}`,
    });
    response.end();
  };
  server.addAPIGroup(
    await loadOpenAPI({
      name: 'svc',
      spec: spec('svc'),
      baseUrl: upstream.url,
      auth: { scheme: 'bearer', token: TOKEN },
      retry: false,
    }),
  );
  server.addAPIGroup(
    await loadOpenAPI({
      name: 'cdn',
      spec: spec('cdn'),
      baseUrl: upstream.url,
      auth: { scheme: 'bearer', token: TOKEN },
      allowedRedirectOrigins: [internal.url],
      retry: false,
    }),
  );
  server.addAPIGroup(
    await loadGraphQL({
      name: 'gql',
      sdl: 'type Query { data: String }',
      url: `${upstream.url}/graphql`,
      auth: { scheme: 'bearer', token: TOKEN },
      retry: false,
    }),
  );
  // A real MCP server that lists its tools normally, then redirects every tools/call to the internal server.
  mcpUpstream.intercept = (_req, body, res) => {
    if ((body as { method?: string } | undefined)?.method !== 'tools/call') return false;
    res.writeHead(307, { location: `${internal.url}/admin/mcp` }).end();
    return true;
  };
  server.addAPIGroup(
    await connector.connectToMCPServer({
      name: 'remote',
      url: mcpUpstream.url,
      transport: 'streamable-http',
      headers: { 'x-api-key': TOKEN },
    }),
  );
  await server.listen(0);
  client = new AgentToolProtocolClient({ baseUrl: server.url! });
  await client.init({ name: 'redirect-e2e' });
});

afterAll(async () => {
  await server.shutdown(1000);
  await connector.close();
  await Promise.all([internal.stop(), upstream.stop(), mcpUpstream.stop()]);
});

beforeEach(() => {
  internal.requests.length = 0;
});

const attempt = (call: string) =>
  client.execute(`
    try { return { ok: await ${call} }; }
    catch (e) { return { code: e.code, message: e.message }; }
  `);

describe('an upstream that redirects to an internal address', () => {
  test('OpenAPI: the redirect is not followed; the internal server is never asked', async () => {
    const result = await attempt('api.svc.getData()');
    expect(result.status).toBe('completed');
    expect(result.result).toEqual({
      code: 'HTTP_ERROR',
      message: `svc.getData failed: HTTP 302 redirect to ${internal.url} not followed; only redirects within ${upstream.url} are (allowedRedirectOrigins lists others)`,
    });
    expect(internal.requests).toHaveLength(0);
  });

  test('OpenAPI with the origin allowed: followed, without the credentials', async () => {
    const result = await attempt('api.cdn.getData()');
    expect(result.result).toEqual({ ok: INTERNAL_DATA });
    expect(internal.requests).toHaveLength(1);
    expect(internal.last.headers.authorization).toBeUndefined();
  });

  test('GraphQL: redirects are refused', async () => {
    const result = await attempt('api.gql.query_data()');
    expect(result.result).toMatchObject({ code: 'HTTP_ERROR' });
    expect((result.result as { message: string }).message).toContain('HTTP 307 redirect');
    expect(internal.requests).toHaveLength(0);
  });

  test('MCP over HTTP: the connector follows redirects only within the server origin', async () => {
    const result = await attempt('api.remote.whoami({})');
    expect(result.status).toBe('completed');
    expect(result.result).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect((result.result as { message: string }).message).toContain('not followed');
    expect(JSON.stringify(result.result)).not.toContain(INTERNAL_DATA.secret);
    expect(internal.requests).toHaveLength(0);
  });
});
