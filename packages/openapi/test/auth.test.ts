import { join } from 'node:path';
import { loadOpenAPI, type OpenAPIAuth } from '@agent-tool-protocol/openapi';
import { type APIGroup, type FunctionCallContext, isATPError } from '@agent-tool-protocol/protocol';
import { RecordingServer, sendJson } from './helpers/recording-server';

const fixture = join(__dirname, 'fixtures', 'bookshelf.yaml');
const context: FunctionCallContext = { clientId: 'client-1', executionId: 'exec-1' };
const SECRET = 'sk_live_9f8e7d6c5b4a';

const server = new RecordingServer();
beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => {
  server.requests.length = 0;
  server.respond = (_request, response) => sendJson(response, 200, []);
});

async function load(
  auth: OpenAPIAuth | OpenAPIAuth[],
  extra: Record<string, unknown> = {},
): Promise<APIGroup> {
  return loadOpenAPI({ name: 'books', path: fixture, baseUrl: server.url, auth, ...extra });
}

function call(group: APIGroup, name: string, input: unknown = {}, ctx = context): Promise<unknown> {
  const found = group.functions.find((f) => f.name === name)!;
  return Promise.resolve(found.handler(input, ctx));
}

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isATPError(error)) throw new Error(`expected an ATPError, got ${String(error)}`);
  return error;
}

describe('auth kinds', () => {
  test('bearer from config', async () => {
    await call(await load({ scheme: 'bearer', token: SECRET }), 'books.listBooks');
    expect(server.last.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  test('bearer from an env var, read at call time; a missing var is named, not guessed', async () => {
    const group = await load({ scheme: 'bearer', envVar: 'ATP_TEST_BOOKS_TOKEN' });
    const missing = await failure(call(group, 'books.listBooks'));
    expect(missing.message).toBe('bearer auth: environment variable ATP_TEST_BOOKS_TOKEN is not set');
    process.env.ATP_TEST_BOOKS_TOKEN = SECRET;
    try {
      await call(group, 'books.listBooks');
      expect(server.last.headers.authorization).toBe(`Bearer ${SECRET}`);
    } finally {
      delete process.env.ATP_TEST_BOOKS_TOKEN;
    }
  });

  test('basic', async () => {
    await call(await load({ scheme: 'basic', username: 'ada', password: SECRET }), 'books.listBooks');
    expect(server.last.headers.authorization).toBe(
      `Basic ${Buffer.from(`ada:${SECRET}`).toString('base64')}`,
    );
  });

  test('apiKey in a header, named by the spec when not configured', async () => {
    await call(await load({ scheme: 'apiKey', value: SECRET }), 'books.listBooks');
    expect(server.last.headers['x-api-key']).toBe(SECRET);
  });

  test('apiKey in the query and in a cookie, next to call parameters', async () => {
    await call(
      await load({ scheme: 'apiKey', in: 'query', name: 'api_key', value: SECRET }),
      'books.listBooks',
      { limit: 1 },
    );
    expect(server.last.url).toBe(`/books?limit=1&api_key=${SECRET}`);
    await call(
      await load({ scheme: 'apiKey', in: 'cookie', name: 'key', value: SECRET }),
      'books.listBooks',
      {
        session: 's1',
      },
    );
    expect(server.last.headers.cookie).toBe(`session=s1; key=${SECRET}`);
  });

  test('several auth entries apply together', async () => {
    const group = await load([
      { scheme: 'bearer', token: SECRET },
      { scheme: 'apiKey', in: 'header', name: 'X-Tenant-Key', value: 'tenant-key-1' },
    ]);
    await call(group, 'books.listBooks');
    expect(server.last.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(server.last.headers['x-tenant-key']).toBe('tenant-key-1');
  });

  test('operations that declare `security: []` are called without the configured auth', async () => {
    const group = await load({ scheme: 'apiKey', in: 'query', name: 'key', value: SECRET });
    await call(group, 'auth.login', { body: { username: 'ada', password: 'x' } });
    expect(server.last.headers.authorization).toBeUndefined();
    expect(server.last.url).toBe('/login');
    await call(group, 'books.listBooks');
    expect(server.last.url).toBe(`/books?key=${SECRET}`);
  });

  test('misconfigured auth fails the load naming the field', async () => {
    await expect(load({ scheme: 'bearer' })).rejects.toThrow(
      'auth.token or auth.envVar is required for bearer auth',
    );
    await expect(load({ scheme: 'bogus' } as never)).rejects.toThrow(/auth/);
  });
});

describe('OAuth2 client credentials', () => {
  let tokenRequests: { body: string; authorization?: string }[];
  let issued: number;
  let lifetime: number;

  beforeEach(() => {
    tokenRequests = [];
    issued = 0;
    lifetime = 3600;
    server.respond = (request, response) => {
      if (request.path === '/oauth/token') {
        tokenRequests.push({ body: request.body.toString(), authorization: request.headers.authorization });
        issued++;
        return sendJson(response, 200, {
          access_token: `tok-${issued}`,
          token_type: 'bearer',
          expires_in: lifetime,
        });
      }
      if (request.headers.authorization === 'Bearer tok-stale')
        return sendJson(response, 401, { message: 'expired' });
      return sendJson(response, 200, []);
    };
  });

  const oauth = (extra: Partial<Extract<OpenAPIAuth, { scheme: 'oauth2' }>> = {}): OpenAPIAuth => ({
    scheme: 'oauth2',
    tokenUrl: `${server.url}/oauth/token`,
    clientId: 'client-a',
    clientSecret: SECRET,
    scopes: ['books:read', 'books:write'],
    ...extra,
  });

  test('fetches one token, caches it across calls (also concurrent ones)', async () => {
    const group = await load(oauth());
    await Promise.all([call(group, 'books.listBooks'), call(group, 'books.listBooks')]);
    await call(group, 'books.listBooks');
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]!.body).toBe('grant_type=client_credentials&scope=books%3Aread+books%3Awrite');
    expect(tokenRequests[0]!.authorization).toBe(
      `Basic ${Buffer.from(`client-a:${SECRET}`).toString('base64')}`,
    );
    const apiCalls = server.requests.filter((r) => r.path === '/books');
    expect(apiCalls.map((r) => r.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-1',
      'Bearer tok-1',
    ]);
  });

  test('refreshes a token that is about to expire', async () => {
    lifetime = 10; // inside the 30 s refresh margin
    const group = await load(oauth({ clientAuth: 'body' }));
    await call(group, 'books.listBooks');
    await call(group, 'books.listBooks');
    expect(tokenRequests).toHaveLength(2);
    expect(tokenRequests[0]!.body).toContain('client_id=client-a');
    expect(server.last.headers.authorization).toBe('Bearer tok-2');
  });

  test('a 401 drops the cached token and retries once with a fresh one', async () => {
    let first = true;
    const base = server.respond;
    server.respond = (request, response) => {
      if (request.path === '/oauth/token' && first) {
        first = false;
        tokenRequests.push({ body: request.body.toString() });
        return sendJson(response, 200, { access_token: 'tok-stale', expires_in: 3600 });
      }
      return base(request, response);
    };
    const group = await load(oauth());
    expect(await call(group, 'books.createBook', { body: { title: 'Dune' } })).toEqual([]);
    expect(tokenRequests).toHaveLength(2);
    expect(server.requests.filter((r) => r.path === '/books').map((r) => r.headers.authorization)).toEqual([
      'Bearer tok-stale',
      'Bearer tok-1',
    ]);
  });

  test('the token URL defaults to the spec clientCredentials flow', async () => {
    const group = await loadOpenAPI({
      name: 'cc',
      baseUrl: server.url,
      auth: oauth({ tokenUrl: undefined }),
      spec: {
        openapi: '3.0.3',
        info: { title: 'cc', version: '1' },
        paths: {
          '/books': { get: { operationId: 'listBooks', responses: { '200': { description: 'ok' } } } },
        },
        components: {
          securitySchemes: {
            cc: {
              type: 'oauth2',
              flows: { clientCredentials: { tokenUrl: `${server.url}/oauth/token`, scopes: {} } },
            },
          },
        },
      },
    });
    await call(group, 'listBooks');
    expect(tokenRequests).toHaveLength(1);
    expect(server.last.headers.authorization).toBe('Bearer tok-1');
  });

  test('an unreachable token endpoint is a retryable error without the client secret', async () => {
    const closed = await new RecordingServer().start();
    const url = closed.url;
    await closed.stop();
    const error = await failure(
      call(await load(oauth({ tokenUrl: `${url}/oauth/token` })), 'books.listBooks'),
    );
    expect(error.message).toBe('OAuth2 token request failed: network error (ECONNREFUSED)');
    expect(error.retryable).toBe(true);
  });

  test('a refused token request is an HTTP_ERROR without the client secret', async () => {
    server.respond = (request, response) =>
      sendJson(response, 401, { error: 'invalid_client', echo: request.headers.authorization });
    const error = await failure(call(await load(oauth()), 'books.listBooks'));
    expect(error.message).toBe('OAuth2 token request failed: HTTP 401');
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });
});

describe('per-user credentials (OAuth API groups)', () => {
  test('the group is an oauth group and context.credentials.accessToken is sent as bearer', async () => {
    const group = await load({ scheme: 'oauth', provider: 'github', scopes: ['repo'] });
    expect(group.type).toBe('oauth');
    expect(group.metadata).toMatchObject({ oauthProvider: 'github', oauthScopes: ['repo'] });
    await call(group, 'books.listBooks', {}, { ...context, credentials: { accessToken: 'user-token-123' } });
    expect(server.last.headers.authorization).toBe('Bearer user-token-123');
  });

  test('without credentials the call fails with UNAUTHORIZED and makes no request', async () => {
    const group = await load({ scheme: 'oauth' });
    const error = await failure(call(group, 'books.listBooks'));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(server.requests).toHaveLength(0);
  });
});

describe('credentials never leak', () => {
  const echo =
    (status: number) => (request: { headers: Record<string, unknown>; url: string }, response: never) =>
      sendJson(response, status, {
        saw: {
          authorization: request.headers.authorization,
          url: request.url,
          cookie: request.headers.cookie,
          key: request.headers['x-api-key'],
        },
      });

  const kinds: [string, OpenAPIAuth][] = [
    ['bearer', { scheme: 'bearer', token: SECRET }],
    ['basic', { scheme: 'basic', username: 'ada', password: SECRET }],
    ['basic, the key as username', { scheme: 'basic', username: SECRET }],
    ['apiKey header', { scheme: 'apiKey', value: SECRET }],
    ['apiKey query', { scheme: 'apiKey', in: 'query', name: 'key', value: SECRET }],
    ['apiKey cookie', { scheme: 'apiKey', in: 'cookie', name: 'key', value: SECRET }],
  ];

  test.each(kinds)(
    '%s: not in the group, errors, results or logs, even when the API echoes it',
    async (_kind, auth) => {
      const logs: unknown[] = [];
      const logger = {
        debug: (...args: unknown[]) => logs.push(args),
        warn: (...args: unknown[]) => logs.push(args),
      };
      const group = await load(auth, { logger });
      const basic = Buffer.from(`ada:${SECRET}`).toString('base64');
      const keyAsUser = Buffer.from(`${SECRET}:`).toString('base64');
      const leaks = (text: string) =>
        text.includes(SECRET) || text.includes(basic) || text.includes(keyAsUser);

      expect(leaks(JSON.stringify(group))).toBe(false);

      server.respond = echo(500) as never;
      const error = await failure(call(group, 'books.createBook', { body: { title: 'x' } }));
      expect(error.code).toBe('HTTP_ERROR');
      expect(error.message).toContain('[REDACTED]');
      expect(leaks(error.message)).toBe(false);
      expect(leaks(JSON.stringify(error))).toBe(false);
      expect(leaks(String(error.stack))).toBe(false);

      server.respond = echo(200) as never;
      const result = await call(group, 'books.listBooks');
      expect(JSON.stringify(result)).toContain('[REDACTED]');
      expect(leaks(JSON.stringify(result))).toBe(false);

      expect(logs.length).toBeGreaterThan(0);
      expect(leaks(JSON.stringify(logs))).toBe(false);
    },
  );

  test('redirects: same-origin ones keep credentials; another origin only when allowed, and without them', async () => {
    const other = await new RecordingServer().start();
    try {
      other.respond = (_request, response) => sendJson(response, 200, ['moved']);
      const auth: OpenAPIAuth[] = [
        { scheme: 'bearer', token: SECRET },
        { scheme: 'apiKey', in: 'cookie', name: 'key', value: 'cookie-key-1' },
      ];
      const headers = { 'X-Api-Token': 'svc-secret-777', 'X-Trace': 't1' };
      server.respond = (request, response) => {
        if (request.path === '/books') {
          response.writeHead(302, { location: '/books-moved' });
          response.end();
          return;
        }
        response.writeHead(307, { location: `${other.url}/elsewhere` });
        response.end();
      };

      const strict = await load(auth, { headers });
      const refused = await failure(call(strict, 'books.listBooks'));
      expect(refused.code).toBe('HTTP_ERROR');
      expect(refused.message).toBe(
        `books.books.listBooks failed: HTTP 307 redirect to ${other.url} not followed; only redirects within ${server.url} are (allowedRedirectOrigins lists others)`,
      );
      expect(other.requests).toHaveLength(0);
      expect(server.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
        ['/books', `Bearer ${SECRET}`],
        ['/books-moved', `Bearer ${SECRET}`],
      ]);

      server.requests.length = 0;
      const allowing = await load(auth, { headers, allowedRedirectOrigins: [`${other.url}/any/path`] });
      expect(await call(allowing, 'books.listBooks')).toEqual(['moved']);
      expect(other.last.path).toBe('/elsewhere');
      expect(other.last.headers.authorization).toBeUndefined();
      expect(other.last.headers.cookie).toBeUndefined();
      expect(other.last.headers['x-api-token']).toBeUndefined();
      expect(other.last.headers['x-trace']).toBe('t1');
    } finally {
      await other.stop();
    }
  });

  test('a POST answered with 303 continues as a GET without the body', async () => {
    server.respond = (request, response) => {
      if (request.method === 'POST') {
        response.writeHead(303, { location: '/books/bk_9' });
        response.end();
        return;
      }
      sendJson(response, 200, { id: 'bk_9', title: 'Dune' });
    };
    const group = await load({ scheme: 'bearer', token: SECRET });
    expect(await call(group, 'books.createBook', { body: { title: 'Dune' } })).toEqual({
      id: 'bk_9',
      title: 'Dune',
    });
    expect(server.requests.map((r) => `${r.method} ${r.path} ${r.body.length}`)).toEqual([
      'POST /books 16',
      'GET /books/bk_9 0',
    ]);
    expect(server.last.headers['content-type']).toBeUndefined();
  });

  test('response headers handed to pagination (Link) are redacted too', async () => {
    const group = await load({ scheme: 'apiKey', in: 'query', name: 'key', value: SECRET });
    server.respond = (_request, response) =>
      sendJson(response, 200, [], { link: `</books?key=${SECRET}&page=2>; rel="next"`, 'x-echo': SECRET });
    const seen: Array<{ headers: Record<string, string> }> = [];
    await call(group, 'books.listBooks', {}, { ...context, onResponse: (info) => void seen.push(info) });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers.link).toBe('</books?key=[REDACTED]&page=2>; rel="next"');
    expect(JSON.stringify(seen)).not.toContain(SECRET);
  });

  test('per-user tokens and secret-looking configured headers are redacted too', async () => {
    const group = await load({ scheme: 'oauth' }, { headers: { 'X-Service-Token': 'svc-secret-777' } });
    server.respond = (request, response) =>
      sendJson(response, 403, {
        auth: request.headers.authorization,
        svc: request.headers['x-service-token'],
      });
    const error = await failure(
      call(group, 'books.listBooks', {}, { ...context, credentials: { accessToken: 'user-token-123' } }),
    );
    expect(error.message).not.toContain('user-token-123');
    expect(error.message).not.toContain('svc-secret-777');
    expect(error.message).toContain('403');
  });
});

describe('basic auth with the key as username (Stripe: `sk_…:`)', () => {
  const KEY = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';
  const forms = {
    raw: KEY,
    base64: Buffer.from(KEY).toString('base64'),
    base64Pair: Buffer.from(`${KEY}:`).toString('base64'),
    urlEncoded: encodeURIComponent(`${KEY}/+`),
    jsonEscaped: `\\u0073${KEY.slice(1)}`,
  };
  const leaked = (text: string) =>
    [KEY, forms.base64, forms.base64Pair, forms.urlEncoded, KEY.slice(1)].filter((form) =>
      text.includes(form),
    );

  beforeEach(() => {
    process.env.ATP_TEST_STRIPE_KEY = KEY;
  });
  afterEach(() => {
    delete process.env.ATP_TEST_STRIPE_KEY;
  });

  test('works with only usernameEnvVar: the password is optional', async () => {
    const group = await load({ scheme: 'basic', usernameEnvVar: 'ATP_TEST_STRIPE_KEY' });
    await call(group, 'books.listBooks');
    expect(server.last.headers.authorization).toBe(`Basic ${forms.base64Pair}`);
  });

  test('a 401 that echoes the key in any form reaches neither the message, the details nor the result', async () => {
    const group = await load({ scheme: 'basic', usernameEnvVar: 'ATP_TEST_STRIPE_KEY' });
    const body = `{"error":{"message":"Invalid API Key provided: ${KEY}","auth":"Basic ${forms.base64Pair}","b64":"${forms.base64}","url":"/v1?key=${forms.urlEncoded}","escaped":"${forms.jsonEscaped}"}}`;
    expect(JSON.parse(body).error.escaped).toBe(KEY); // the escapes spell the key
    server.respond = (_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(body);
    };
    const error = await failure(call(group, 'books.listBooks'));
    expect(error.message).toContain('HTTP 401');
    expect(error.message).toContain('Invalid API Key provided: [REDACTED]');
    expect(leaked(error.message)).toEqual([]);
    expect(leaked(JSON.stringify(error.details))).toEqual([]);
    expect(leaked(JSON.stringify(error))).toEqual([]);

    server.respond = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(body);
    };
    const result = await call(group, 'books.listBooks');
    expect(leaked(JSON.stringify(result))).toEqual([]);
    expect(result).toMatchObject({ error: { escaped: '[REDACTED]', b64: '[REDACTED]' } });
  });

  test('a literal username next to a password is an identity and is kept; the password is not', async () => {
    const group = await load({ scheme: 'basic', username: 'octocat', password: SECRET });
    server.respond = (_request, response) => sendJson(response, 200, { login: 'octocat', token: SECRET });
    expect(await call(group, 'books.listBooks')).toEqual({ login: 'octocat', token: '[REDACTED]' });
  });

  test('with neither username nor password configured the call fails with a clear message', async () => {
    const group = await load({ scheme: 'basic' });
    const error = await failure(call(group, 'books.listBooks'));
    expect(error.message).toBe('auth.username is not configured');
  });
});
