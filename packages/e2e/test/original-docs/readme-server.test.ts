import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ApiKeyAuthProvider,
  GoogleOAuthProvider,
  MemoryCache,
  RedisCache,
} from '@agent-tool-protocol/providers';
import { createServer, type Middleware } from '@agent-tool-protocol/server';
import { FakeOAuthServer, RedisServerProcess } from '@agent-tool-protocol/testing';
import Redis from 'ioredis';
import { listening } from './support/harness';

// README › Custom APIs, OAuth Integration, Middleware, Server Lifecycle, Production Deployment: each block run
// as written (package names mapped, port 0 for 3333, a local OAuth server in place of Google's).
// Usage ids match the table in README.md beside this file.

describe('R30–R31 Custom APIs › Add Custom Functions', () => {
  test("R30–R31 server.addAPIGroup({ type: 'custom', functions: [{ handler: async (input) => db.users.create(input) }] })", async () => {
    const users: unknown[] = [];
    const db = { users: { create: async (input: object) => ({ id: users.push(input), ...input }) } };
    const server = createServer();
    server.addAPIGroup({
      name: 'database',
      type: 'custom',
      description: 'Database operations',
      functions: [
        {
          name: 'createUser',
          description: 'Create a new user',
          inputSchema: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              email: { type: 'string' },
            },
            required: ['name', 'email'],
          },
          handler: async (input) => {
            const user = await db.users.create(input);
            return user;
          },
        },
      ],
    });
    const started = await listening(server);
    try {
      const client = await started.client();
      const result = await client.execute(
        "return await atp.api.database.createUser({ name: 'Alice', email: 'alice@example.com' });",
      );
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({ status: 'completed', result: { id: 1, name: 'Alice' } });
      expect(users).toEqual([{ name: 'Alice', email: 'alice@example.com' }]);
    } finally {
      await started.close();
    }
  });
});

describe('R32–R37 Custom APIs › OAuth Integration (a local OAuth 2 server in place of Google)', () => {
  const CLIENT = { clientId: 'google-client-id', clientSecret: 'google-client-secret' };
  let google: FakeOAuthServer;
  beforeAll(async () => {
    google = await FakeOAuthServer.start(CLIENT);
  });
  afterAll(() => google.close());

  test('R32 GoogleOAuthProvider({ clientId: process.env…, redirectUri, scopes }): the consent URL carries the redirectUri and scopes', () => {
    process.env.GOOGLE_CLIENT_ID = CLIENT.clientId;
    process.env.GOOGLE_CLIENT_SECRET = CLIENT.clientSecret;
    const oauthProvider = new GoogleOAuthProvider({
      clientId: process.env.GOOGLE_CLIENT_ID,
      clientSecret: process.env.GOOGLE_CLIENT_SECRET,
      redirectUri: 'http://localhost:3333/oauth/callback',
      scopes: ['https://www.googleapis.com/auth/userinfo.email'],
    });
    const url = new URL(oauthProvider.authorizationUrl({ state: 's', codeChallenge: 'c' }));
    expect(url.origin + url.pathname).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(url.searchParams.get('redirect_uri')).toBe('http://localhost:3333/oauth/callback');
    expect(url.searchParams.get('scope')).toBe('https://www.googleapis.com/auth/userinfo.email');
    expect(url.searchParams.get('client_id')).toBe(CLIENT.clientId);
  });

  test('R33 GoogleOAuthProvider with the env variables unset fails at once, naming what is missing', () => {
    delete process.env.GOOGLE_CLIENT_ID;
    delete process.env.GOOGLE_CLIENT_SECRET;
    expect(
      () =>
        new GoogleOAuthProvider({
          clientId: process.env.GOOGLE_CLIENT_ID,
          clientSecret: process.env.GOOGLE_CLIENT_SECRET,
          redirectUri: 'http://localhost:3333/oauth/callback',
          scopes: ['https://www.googleapis.com/auth/userinfo.email'],
        }),
    ).toThrow(/clientId.*(GOOGLE_CLIENT_ID|missing|required|empty)/is);
  });

  test("R34–R37 an { type: 'oauth', oauthProvider, functions } group: consent through /oauth/callback, then handler(input, credentials) gets credentials.accessToken", async () => {
    const sent: Array<{ input: unknown; accessToken: unknown }> = [];
    const sendGmailEmail = async (input: unknown, accessToken: unknown) => {
      sent.push({ input, accessToken });
      return { id: `msg-${sent.length}` };
    };
    const server = createServer();
    await server.start(0);
    try {
      const oauthProvider = new GoogleOAuthProvider({
        clientId: CLIENT.clientId,
        clientSecret: CLIENT.clientSecret,
        redirectUri: `${server.url}/oauth/callback`,
        scopes: ['https://www.googleapis.com/auth/userinfo.email'],
        // The local stand-in for accounts.google.com / oauth2.googleapis.com:
        authorizeUrl: google.authorizeUrl,
        tokenUrl: google.tokenUrl,
      });
      server.addAPIGroup({
        name: 'gmail',
        type: 'oauth',
        oauthProvider,
        functions: [
          {
            name: 'sendEmail',
            description: 'Send email via Gmail',
            inputSchema: {
              /* ... */
            },
            handler: async (input, credentials) => {
              // Use credentials.accessToken
              return await sendGmailEmail(input, credentials.accessToken);
            },
          },
        ],
      });
      const started = { url: server.url! };
      const { AgentToolProtocolClient } = await import('@agent-tool-protocol/client');
      const client = new AgentToolProtocolClient({ baseUrl: started.url });
      await client.init();
      const code = "return await api.gmail.sendEmail({ to: 'bob@example.com', subject: 'Hi' });";

      // Before consent: the call fails with a URL a person can open (no ATP token in a browser).
      const first = await client.execute(code);
      expect(first.status).toBe('failed');
      const authorizeUrl = first.error?.message.match(/https?:\/\/\S+/)?.[0]?.replace(/[.,)]+$/, '');
      expect(authorizeUrl).toBeDefined();
      // The browser: provider consent page → redirect to the server's /oauth/callback.
      let location = authorizeUrl!;
      for (let hop = 0; hop < 5; hop++) {
        const response = await fetch(location, { redirect: 'manual' });
        const next = response.headers.get('location');
        if (!next) {
          expect(response.status).toBe(200);
          break;
        }
        location = new URL(next, location).toString();
        if (location.startsWith(`${started.url}/oauth/callback`)) {
          const callback = await fetch(location, { redirect: 'manual' });
          expect(callback.status).toBeLessThan(400);
          break;
        }
      }
      expect(google.count('authorization_code')).toBe(1);

      const second = await client.execute(code);
      expect(second.error).toBeUndefined();
      expect(second).toMatchObject({ status: 'completed', result: { id: 'msg-1' } });
      expect(sent).toHaveLength(1);
      expect(sent[0]!.input).toEqual({ to: 'bob@example.com', subject: 'Hi' });
      expect(typeof sent[0]!.accessToken).toBe('string');
      expect(String(sent[0]!.accessToken).length).toBeGreaterThan(0);
    } finally {
      await server.shutdown(1_000);
    }
  });
});

describe('R70–R72 Middleware', () => {
  test('R70–R72 import type { Middleware, RequestContext }; the logging middleware sees /api/execute and next() returns after the route', async () => {
    const seen: string[] = [];
    const server = createServer();
    server.addAPIGroup({
      name: 'work',
      type: 'custom',
      functions: [
        {
          name: 'step',
          handler: async () => {
            seen.push('route handled the tool call');
            return 'ok';
          },
        },
      ],
    });
    const loggingMiddleware: Middleware = async (context, next) => {
      seen.push(`${context.method} ${context.path}`);
      const start = Date.now();

      await next();

      seen.push(`Completed ${context.path} in ${Date.now() - start >= 0 ? 'some' : '?'}ms`);
    };
    server.use(loggingMiddleware);
    const started = await listening(server);
    try {
      const client = await started.client();
      seen.length = 0;
      await client.execute('return await api.work.step({});');
      const execute = seen.indexOf('POST /api/execute');
      expect(execute).toBeGreaterThanOrEqual(0);
      expect(seen.slice(execute, execute + 3)).toEqual([
        'POST /api/execute',
        'route handled the tool call',
        'Completed /api/execute in somems',
      ]);
    } finally {
      await started.close();
    }
  });
});

describe('R73–R79 Server Lifecycle', () => {
  test('R73–R79 createServer(config); setCacheProvider; setAuthProvider; addAPIGroup; use; start; shutdown', async () => {
    const config = { execution: { timeout: 10_000 } };
    const cache = new MemoryCache();
    const auth = new ApiKeyAuthProvider({ keys: ['lifecycle-key-0123456789'] });
    const apiGroup = {
      name: 'ops',
      type: 'custom' as const,
      functions: [{ name: 'ping', handler: () => 'pong' }],
    };
    const calls: string[] = [];
    const middleware: Middleware = async (context, next) => {
      calls.push(context.path);
      await next();
    };

    const server = createServer(config);

    // Setup
    server.setCacheProvider(cache);
    server.setAuthProvider(auth);
    server.addAPIGroup(apiGroup);
    server.use(middleware);

    // Start
    await server.start(0);
    const url = server.url!;
    const { AgentToolProtocolClient } = await import('@agent-tool-protocol/client');
    const denied = new AgentToolProtocolClient({ baseUrl: url });
    await expect(denied.init()).rejects.toThrow();
    const client = new AgentToolProtocolClient({
      baseUrl: url,
      headers: { 'x-api-key': 'lifecycle-key-0123456789' },
    });
    await client.init();
    const result = await client.execute("await atp.cache.set('k', 1); return await api.ops.ping({});");
    expect(result).toMatchObject({ status: 'completed', result: 'pong' });
    expect(calls.length).toBeGreaterThan(0);

    // Shutdown
    await server.shutdown();
    await expect(fetch(`${url}/api/info`)).rejects.toThrow();
  });
});

describe('R80–R85 Production Deployment › With Redis + PostgreSQL', () => {
  let redisServer: RedisServerProcess;
  beforeAll(async () => {
    redisServer = await RedisServerProcess.start();
    process.env.REDIS_URL = redisServer.url;
  });
  afterAll(() => redisServer.stop());

  test('R80–R85 RedisCache({ redis }); timeout/memory/ttl/audit/otel config; server.start(process.env.PORT || 3333)', async () => {
    process.env.PORT = '0';
    const redis = new Redis(process.env.REDIS_URL!);
    const cache = new RedisCache({ redis });

    const server = createServer({
      execution: {
        timeout: 60000,
        memory: 256 * 1024 * 1024,
      },
      executionState: {
        ttl: 7200, // 2 hours
      },
      audit: {
        enabled: true,
      },
      otel: {
        enabled: true,
      },
    });

    server.setCacheProvider(cache);

    await server.start(process.env.PORT || 3333);
    try {
      expect(server.port).toBeGreaterThan(0);
      const { AgentToolProtocolClient } = await import('@agent-tool-protocol/client');
      const client = new AgentToolProtocolClient({ baseUrl: server.url! });
      await client.init();
      const result = await client.execute(
        "await atp.cache.set('deploy', 'ok'); return await atp.cache.get('deploy');",
      );
      expect(result).toMatchObject({ status: 'completed', result: 'ok' });
      expect((await redis.keys('*deploy*')).length).toBe(1);
    } finally {
      await server.shutdown(1_000);
      redis.disconnect();
    }
  });

  test('R86 a string PORT (process.env.PORT = "0") is accepted by start()', async () => {
    const server = createServer();
    process.env.PORT = '0';
    await server.start(process.env.PORT || 3333);
    try {
      expect(server.port).toBeGreaterThan(0);
    } finally {
      await server.shutdown(1_000);
    }
  });
});

test('R87 TypeScript Support: every package the documents import ships its declarations', () => {
  for (const name of ['server', 'openapi', 'mcp-adapter', 'providers']) {
    const root = join(__dirname, '../../..', name);
    const manifest = require(join(root, 'package.json')) as {
      exports: { '.': { types?: string; import?: { types?: string } } };
    };
    const entry = manifest.exports['.'];
    const types = entry.types ?? entry.import?.types;
    expect([name, typeof types]).toEqual([name, 'string']);
    expect(existsSync(join(root, types!))).toBe(true);
  }
});
