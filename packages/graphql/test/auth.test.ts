import { type GraphQLAuth, loadGraphQL } from '@agent-tool-protocol/graphql';
import { type APIGroup, type FunctionCallContext, isAtpError } from '@agent-tool-protocol/protocol';
import { LIBRARY_SDL, LibraryServer } from './helpers/library-server';

const context: FunctionCallContext = { clientId: 'client-1', executionId: 'exec-1' };
const SECRET = 'gql_live_4f9a8b7c6d5e';
const ENV_VAR = 'ATP_TEST_GRAPHQL_TOKEN';

const server = new LibraryServer();
beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => {
  server.requests.length = 0;
  server.intercept = undefined;
});
afterEach(() => {
  delete process.env[ENV_VAR];
});

function load(
  auth: GraphQLAuth | GraphQLAuth[] | undefined,
  extra: Record<string, unknown> = {},
): Promise<APIGroup> {
  return loadGraphQL({
    name: 'library',
    sdl: LIBRARY_SDL,
    url: server.url,
    ...(auth ? { auth } : {}),
    ...extra,
  });
}

function call(group: APIGroup, name: string, input: unknown = {}, ctx = context): Promise<unknown> {
  return Promise.resolve(group.functions.find((f) => f.name === name)!.handler(input, ctx));
}

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAtpError(error)) throw new Error(`expected an AtpError, got ${String(error)}`);
  return error;
}

describe('auth kinds', () => {
  test('bearer from config (token, or value as in the original)', async () => {
    await call(await load({ scheme: 'bearer', token: SECRET }), 'query_echo', { text: 'x' });
    expect(server.last.headers.authorization).toBe(`Bearer ${SECRET}`);
    await call(await load({ scheme: 'bearer', value: SECRET }), 'query_echo', { text: 'x' });
    expect(server.last.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  test('bearer from an env var, read on every call; a missing variable is named', async () => {
    const group = await load({ scheme: 'bearer', envVar: ENV_VAR });
    const missing = await failure(call(group, 'query_echo', { text: 'x' }));
    expect(missing).toMatchObject({
      code: 'CONFIG_ERROR',
      message: `bearer auth: environment variable ${ENV_VAR} is not set`,
    });
    expect(server.requests).toHaveLength(0);
    process.env[ENV_VAR] = SECRET;
    await call(group, 'query_echo', { text: 'x' });
    expect(server.last.headers.authorization).toBe(`Bearer ${SECRET}`);
    process.env[ENV_VAR] = `${SECRET}-rotated`;
    await call(group, 'query_echo', { text: 'x' });
    expect(server.last.headers.authorization).toBe(`Bearer ${SECRET}-rotated`);
  });

  test('apiKey in a header or in the query string', async () => {
    await call(await load({ scheme: 'apiKey', name: 'X-API-Key', value: SECRET }), 'query_echo', {
      text: 'x',
    });
    expect(server.last.headers['x-api-key']).toBe(SECRET);
    await call(await load({ scheme: 'apiKey', in: 'query', name: 'key', value: SECRET }), 'query_echo', {
      text: 'x',
    });
    expect(server.last.url).toBe(`/graphql?key=${SECRET}`);
  });

  test('custom headers, literal and from env vars (the original scheme), and basic', async () => {
    process.env[ENV_VAR] = SECRET;
    await call(
      await load({
        scheme: 'custom',
        headers: { 'API-Version': '2024-01' },
        headerEnvVars: { 'X-Token': ENV_VAR },
      }),
      'query_echo',
      { text: 'x' },
    );
    expect(server.last.headers).toMatchObject({ 'api-version': '2024-01', 'x-token': SECRET });
    await call(await load({ scheme: 'basic', username: 'ada', password: SECRET }), 'query_echo', {
      text: 'x',
    });
    expect(server.last.headers.authorization).toBe(
      `Basic ${Buffer.from(`ada:${SECRET}`).toString('base64')}`,
    );
  });

  test('per-user OAuth sends the caller’s access token; without one the call is refused', async () => {
    const group = await load({ scheme: 'oauth', provider: 'library' });
    await call(
      group,
      'query_echo',
      { text: 'x' },
      { ...context, credentials: { accessToken: 'user-token-1234' } },
    );
    expect(server.last.headers.authorization).toBe('Bearer user-token-1234');
    const missing = await failure(call(group, 'query_echo', { text: 'x' }));
    expect(missing).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
  });

  test('introspection at load time uses the static credentials and headers', async () => {
    const guarded = await new LibraryServer(SECRET).start();
    try {
      const refused = await failure(loadGraphQL(guarded.url, { name: 'library' }));
      expect(refused.message).toBe(
        `GraphQL introspection of ${guarded.url} failed (HTTP 401): missing or wrong token`,
      );
      const group = await loadGraphQL(guarded.url, {
        name: 'library',
        auth: { scheme: 'bearer', token: SECRET },
        headers: { 'X-Client': 'atp' },
      });
      expect(guarded.last.headers).toMatchObject({ authorization: `Bearer ${SECRET}`, 'x-client': 'atp' });
      expect(await call(group, 'query_echo', { text: 'ok' })).toBe('ok');
    } finally {
      await guarded.stop();
    }
  });
});

describe('secrets never come back to the caller', () => {
  test('a result echoing the credentials has them redacted', async () => {
    process.env[ENV_VAR] = SECRET;
    const group = await load(
      [
        { scheme: 'bearer', envVar: ENV_VAR },
        { scheme: 'apiKey', in: 'query', name: 'key', value: `${SECRET}-key` },
      ],
      { headers: { 'X-API-Key': `${SECRET}-header` } },
    );
    const echoed = await call(group, 'query_request');
    expect(server.last.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(echoed).toEqual({
      authorization: 'Bearer [REDACTED]',
      apiKey: '[REDACTED]',
      query: 'key=[REDACTED]',
    });
  });

  test('error messages and details that echo the credentials have them redacted', async () => {
    const group = await load({ scheme: 'bearer', token: SECRET });
    const error = await failure(call(group, 'query_broken'));
    expect(error.message).toBe(
      'library.query_broken failed: the broken field always fails (request had Bearer [REDACTED]) (at broken)',
    );
    expect(JSON.stringify(error.details)).not.toContain(SECRET);
    server.intercept = (request, response) => {
      response
        .writeHead(500, { 'content-type': 'text/plain' })
        .end(`rejected ${request.headers.authorization}`);
      return true;
    };
    const http = await failure(call(group, 'query_echo', { text: 'x' }));
    expect(http.message).toBe('library.query_echo failed: HTTP 500: rejected Bearer [REDACTED]');
    expect(JSON.stringify({ message: http.message, details: http.details })).not.toContain(SECRET);
  });

  test('the group itself holds no secret values (only the names of env vars)', async () => {
    process.env[ENV_VAR] = SECRET;
    const group = await load({ scheme: 'bearer', envVar: ENV_VAR });
    expect(JSON.stringify(group)).not.toContain(SECRET);
    expect(group.metadata).toMatchObject({ authSchemes: ['bearer'] });
  });
});

describe('basic auth with the key as username (the form Stripe uses)', () => {
  const KEY = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';
  const pair = Buffer.from(`${KEY}:`).toString('base64');
  const leaked = (text: string) =>
    [KEY, pair, Buffer.from(KEY).toString('base64'), encodeURIComponent(`${KEY}/`)].filter((form) =>
      text.includes(form),
    );
  afterEach(() => {
    delete process.env.ATP_TEST_GQL_KEY;
  });

  test('works with only usernameEnvVar and redacts the key in every form from errors and results', async () => {
    process.env.ATP_TEST_GQL_KEY = KEY;
    const group = await load({ scheme: 'basic', usernameEnvVar: 'ATP_TEST_GQL_KEY' });
    const body = JSON.stringify({
      message: `Invalid API Key provided: ${KEY}`,
      auth: `Basic ${pair}`,
      b64: Buffer.from(KEY).toString('base64'),
      url: `/v1?key=${encodeURIComponent(`${KEY}/`)}`,
    }).replace('"b64"', `"escaped":"\\u0073${KEY.slice(1)}","b64"`);
    server.intercept = (request, response) => {
      expect(request.headers.authorization).toBe(`Basic ${pair}`);
      response.writeHead(401, { 'content-type': 'application/json' }).end(body);
      return true;
    };
    const error = await failure(call(group, 'query_echo', { text: 'x' }));
    expect(error.message).toContain('HTTP 401');
    expect(error.message).toContain('Invalid API Key provided: [REDACTED]');
    expect(leaked(JSON.stringify({ message: error.message, details: error.details }))).toEqual([]);
    expect(JSON.stringify(error)).not.toContain(KEY.slice(1));

    server.intercept = (_request, response) => {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(`{"data":{"echo":"\\u0073${KEY.slice(1)} and ${pair}"}}`);
      return true;
    };
    expect(await call(group, 'query_echo', { text: 'x' })).toBe('[REDACTED] and [REDACTED]');
  });

  test('with nothing configured the load fails naming the field', async () => {
    await expect(load({ scheme: 'basic' })).rejects.toMatchObject({
      code: 'CONFIG_ERROR',
      message: expect.stringContaining('auth.username or auth.usernameEnvVar is required'),
    });
  });
});
