import { Writable } from 'node:stream';
import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { MCPConnector } from '@agent-tool-protocol/mcp-adapter';
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import type { AuditEvent } from '@agent-tool-protocol/protocol';
import { createServer } from '@agent-tool-protocol/server';
import pino from 'pino';
import { RecordingServer } from '../../../openapi/test/helpers/recording-server';
import { EchoMcpServer } from './support/echo-mcp-server';

// Issue 23 item 9: with basic auth where the key is the username (Stripe's `sk_…:` form, configured as
// Stripe documents it: only the username), an upstream 401 body that echoed the key reached agent code
// verbatim. Every configured secret, in any form, must stay out of everything the sandbox, the client,
// the logs, the audit sink and the history see.

const KEY = 'sk_live_51HfakeStripeKey0123456789abcd';
const MCP_TOKEN = 'mcp_live_token_0123456789abcdef';
const KEY_ENV = 'ATP_E2E_STRIPE_KEY';

/** Every spelling of the secrets an upstream might echo. */
const spellings = [
  KEY,
  KEY.slice(1), // what is left after `\u0073`
  Buffer.from(KEY).toString('base64'),
  Buffer.from(`${KEY}:`).toString('base64'),
  encodeURIComponent(`${KEY}/`),
  MCP_TOKEN,
  Buffer.from(MCP_TOKEN).toString('base64'),
];
const leaksIn = (text: string) => spellings.filter((spelling) => text.includes(spelling));

/** What Stripe-like upstreams answer: the key, echoed in every form. */
function echoBody(authorization: string | undefined) {
  return `{"error":{"message":"Invalid API Key provided: ${KEY}","header":"${authorization}","b64":"${Buffer.from(KEY).toString('base64')}","url":"/v1/x?key=${encodeURIComponent(`${KEY}/`)}","escaped":"\\u0073${KEY.slice(1)}"}}`;
}

const stripe = new RecordingServer();
const mcpUpstream = new EchoMcpServer();
const connector = new MCPConnector();
const logs: string[] = [];
const audit: AuditEvent[] = [];
const logger = pino(
  { level: 'trace' },
  new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  }),
);
const server = createServer({
  auth: { jwtSecret: 'security-e2e-jwt-secret-long-enough' },
  execution: { isolatePoolSize: 1 },
  audit: { enabled: true, sinks: [{ name: 'memory', write: (event) => void audit.push(event) }] },
  logger,
});
let client: AgentToolProtocolClient;
let token: string;

const spec = {
  openapi: '3.0.3',
  info: { title: 'Stripe-like', version: '1' },
  paths: {
    '/v1/charges': {
      post: {
        operationId: 'createCharge',
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: {} } } } },
      },
    },
    '/v1/balance': {
      get: {
        operationId: 'getBalance',
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: {} } } } },
      },
    },
  },
};

beforeAll(async () => {
  process.env[KEY_ENV] = KEY;
  await stripe.start();
  await mcpUpstream.start();
  stripe.respond = (request, response) => {
    const status = request.path === '/v1/charges' ? 401 : 200;
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(echoBody(request.headers.authorization));
  };
  server.addAPIGroup(
    await loadOpenAPI({
      name: 'stripe',
      spec,
      baseUrl: stripe.url,
      auth: { scheme: 'basic', usernameEnvVar: KEY_ENV },
      retry: false,
      logger: logger.child({ component: 'openapi' }),
    }),
  );
  server.addAPIGroup(
    await connector.connectToMCPServer({
      name: 'echo',
      url: mcpUpstream.url,
      transport: 'streamable-http',
      headers: { authorization: `Bearer ${MCP_TOKEN}` },
    }),
  );
  await server.listen(0);
  client = new AgentToolProtocolClient({ baseUrl: server.url! });
  ({ token } = await client.init({ name: 'secrets-e2e' }));
});

afterAll(async () => {
  await server.shutdown(1000);
  await connector.close();
  await Promise.all([stripe.stop(), mcpUpstream.stop()]);
  delete process.env[KEY_ENV];
});

describe('secrets an upstream echoes', () => {
  test('basic auth with only usernameEnvVar works (the password is optional)', async () => {
    const result = await client.execute('const b = await api.stripe.getBalance(); return typeof b;');
    expect(result).toMatchObject({ status: 'completed', result: 'object' });
    expect(stripe.last.headers.authorization).toBe(`Basic ${Buffer.from(`${KEY}:`).toString('base64')}`);
  });

  test('reach neither agent code, the client, the logs, the audit sink nor the history, in any form', async () => {
    const caught = await client.execute(`
      try { await api.stripe.createCharge({}); return 'no error'; }
      catch (e) {
        atp.log.info('charge failed', { message: e.message, details: e.details });
        return { code: e.code, status: e.status, message: e.message, details: e.details };
      }
    `);
    expect(caught.status).toBe('completed');
    expect(caught.result).toMatchObject({ code: 'HTTP_ERROR', status: 401 });
    expect((caught.result as { message: string }).message).toContain('Invalid API Key provided: [REDACTED]');

    const uncaught = await client.execute('return await api.stripe.createCharge({});');
    expect(uncaught.status).toBe('failed');
    expect(uncaught.error?.message).toContain('[REDACTED]');

    const returned = await client.execute('return await api.stripe.getBalance();');
    expect(returned.result).toMatchObject({ error: { escaped: '[REDACTED]' } });

    const mcp = await client.execute('return await api.echo.whoami({});');
    expect(mcp.result).toMatchObject({ headers: { authorization: '[REDACTED]' } });

    const trails = await Promise.all(
      [caught, uncaught, returned, mcp].map(async (result) => {
        const response = await fetch(`${server.url}/api/executions/${result.executionId}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(response.status).toBe(200);
        return response.text();
      }),
    );

    // Non-vacuous: the upstreams really sent the secrets back.
    expect(echoBody('x')).toContain(KEY);
    expect(logs.some((line) => line.includes('"operation":"stripe.createCharge"'))).toBe(true);
    expect(audit.length).toBeGreaterThan(0);

    expect(leaksIn(JSON.stringify([caught, uncaught, returned, mcp]))).toEqual([]);
    expect(leaksIn(trails.join('\n'))).toEqual([]);
    expect(leaksIn(logs.join('\n'))).toEqual([]);
    expect(leaksIn(JSON.stringify(audit))).toEqual([]);
  });
});
