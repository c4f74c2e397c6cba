/**
 * OAuth wiring end to end over HTTP: `/oauth/:provider/authorize` → a local authorization server that
 * speaks the real protocol (authorize redirect, PKCE code exchange, refresh) → `/oauth/callback`, then
 * `oauth` API groups called with fresh credentials, refreshed when expired.
 */
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import type { APIGroup } from '@agent-tool-protocol/protocol';
import { OAuth2Provider } from '@agent-tool-protocol/providers';
import { type AgentToolProtocolServer, createServer } from '@agent-tool-protocol/server';
import { FakeOAuthServer, freePort } from '@agent-tool-protocol/testing';

const SECRET = 'oauth-test-secret-0123456789';
const ENCRYPTION_KEY = 'an-encryption-key-of-at-least-32-characters';

let slow: FakeOAuthServer;
let fast: FakeOAuthServer;
let server: AgentToolProtocolServer;
let url: string;

/** An `oauth` group whose handler calls the provider's /userinfo with the access token it is given. */
function profileGroup(name: string, provider: FakeOAuthServer, oauthProvider: string): APIGroup {
  return {
    name,
    type: 'oauth',
    metadata: { oauthProvider, oauthScopes: ['profile'] },
    functions: [
      {
        name: 'me',
        description: 'The connected account.',
        handler: async (_input, context) => {
          const credentials = context.credentials as { accessToken: string; tokenType: string };
          const response = await fetch(`${provider.url}/userinfo`, {
            headers: { authorization: `${credentials.tokenType} ${credentials.accessToken}` },
          });
          if (!response.ok) throw new Error(`userinfo answered ${response.status}`);
          // The token number shows which grant produced it (never the token itself).
          return {
            ...((await response.json()) as any as object),
            grant: Number(credentials.accessToken.split('-')[1]),
          };
        },
      },
    ],
  };
}

async function init(): Promise<Record<string, string>> {
  const response = await fetch(`${url}/api/init`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const { clientId, token } = (await response.json()) as any as { clientId: string; token: string };
  return { authorization: `Bearer ${token}`, 'x-client-id': clientId };
}

async function execute(headers: Record<string, string>, code: string): Promise<any> {
  const response = await fetch(`${url}/api/execute`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  expect(response.status).toBe(200);
  return response.json();
}

/** What a user's browser does: authorize route → provider consent → callback. */
async function consent(headers: Record<string, string>, provider: string): Promise<Response> {
  const start = await fetch(`${url}/oauth/${provider}/authorize`, { headers, redirect: 'manual' });
  expect(start.status).toBe(302);
  const atProvider = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  expect(atProvider.status).toBe(302);
  const callback = atProvider.headers.get('location')!;
  expect(callback.startsWith(`${url}/oauth/callback?`)).toBe(true);
  return fetch(callback, { redirect: 'manual' });
}

beforeAll(async () => {
  slow = await FakeOAuthServer.start({ clientId: 'atp-slow', clientSecret: 'slow-secret' });
  // Tokens that expire at once (within the 60 s refresh skew): every call refreshes.
  fast = await FakeOAuthServer.start({ clientId: 'atp-fast', clientSecret: 'fast-secret', expiresIn: 1 });
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = createServer({
    auth: { jwtSecret: SECRET },
    execution: { isolatePoolSize: 1 },
    oauth: {
      providers: [
        new OAuth2Provider({
          name: 'slow',
          clientId: 'atp-slow',
          clientSecret: 'slow-secret',
          authorizeUrl: slow.authorizeUrl,
          tokenUrl: slow.tokenUrl,
        }),
        new OAuth2Provider({
          name: 'fast',
          clientId: 'atp-fast',
          clientSecret: 'fast-secret',
          authorizeUrl: fast.authorizeUrl,
          tokenUrl: fast.tokenUrl,
        }),
      ],
      encryptionKey: ENCRYPTION_KEY,
      stateSecret: 'a-state-signing-secret',
      redirectUri: `${url}/oauth/callback`,
    },
  });
  server.addAPIGroup(profileGroup('profile', slow, 'slow'));
  server.addAPIGroup(profileGroup('quick', fast, 'fast'));
  // An OpenAPI group with per-user auth: the loader reads context.credentials.accessToken.
  server.addAPIGroup(
    await loadOpenAPI({
      name: 'accounts',
      baseUrl: slow.url,
      auth: { scheme: 'oauth', provider: 'slow', scopes: ['profile'] },
      spec: {
        openapi: '3.0.3',
        info: { title: 'Accounts', version: '1' },
        paths: {
          '/userinfo': {
            get: {
              operationId: 'getUserInfo',
              responses: {
                '200': {
                  description: 'The account',
                  content: {
                    'application/json': {
                      schema: { type: 'object', properties: { sub: { type: 'string' } } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    }),
  );
  await server.listen(port);
});

afterAll(async () => {
  await server?.shutdown(1000);
  await Promise.all([slow?.close(), fast?.close()]);
});

describe('OAuth wiring', () => {
  it('without consent, the call fails inside the sandbox with a clear error carrying the authorize URL', async () => {
    const headers = await init();
    const caught = await execute(
      headers,
      `try { await api.profile.me({}); return 'unexpected'; } catch (error) { return { code: error.code, message: error.message }; }`,
    );
    expect(caught.status).toBe('completed');
    expect(caught.result.code).toBe('OAUTH_CONSENT_REQUIRED');
    // The URL is the provider's consent page with a state bound to this client: a person can open it in a
    // browser (no ATP token needed) and the callback stores the tokens for this client.
    const prefix = 'OAuth consent for "slow" is required: no authorization is stored. Authorize at ';
    expect(caught.result.message.startsWith(prefix)).toBe(true);
    const consentUrl = new URL(caught.result.message.slice(prefix.length));
    expect(`${consentUrl.origin}${consentUrl.pathname}`).toBe(slow.authorizeUrl);
    expect(consentUrl.searchParams.get('redirect_uri')).toBe(`${url}/oauth/callback`);
    expect(consentUrl.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const uncaught = await execute(headers, 'return await api.profile.me({});');
    expect(uncaught).toMatchObject({ status: 'failed', error: { code: 'OAUTH_CONSENT_REQUIRED' } });
    expect(uncaught.error.message).toContain(`Authorize at ${slow.authorizeUrl}?`);

    // Opened without any ATP credentials, the consent URL completes the authorization for this client.
    const atProvider = await fetch(consentUrl, { redirect: 'manual' });
    const back = await fetch(atProvider.headers.get('location')!, { redirect: 'manual' });
    expect(back.status).toBe(200);
    expect(await execute(headers, 'return await api.profile.me({});')).toMatchObject({
      status: 'completed',
      result: { sub: 'user-1' },
    });
  });

  it('authorize needs an ATP client token and redirects with state bound to the client and PKCE', async () => {
    const anonymous = await fetch(`${url}/oauth/slow/authorize`, { redirect: 'manual' });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as any).code).toBe('UNAUTHORIZED');

    const headers = await init();
    const response = await fetch(`${url}/oauth/slow/authorize`, { headers, redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const target = new URL(response.headers.get('location')!);
    expect(`${target.origin}${target.pathname}`).toBe(slow.authorizeUrl);
    expect(Object.fromEntries(target.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'atp-slow',
      redirect_uri: `${url}/oauth/callback`,
      code_challenge_method: 'S256',
      scope: 'profile',
    });
    expect(target.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(target.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

    const json = await fetch(`${url}/oauth/slow/authorize`, {
      headers: { ...headers, accept: 'application/json' },
    });
    expect(json.status).toBe(200);
    expect(((await json.json()) as any).authorizeUrl).toMatch(new RegExp(`^${slow.authorizeUrl}\\?`));

    const unknown = await fetch(`${url}/oauth/nope/authorize`, { headers, redirect: 'manual' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error).toBe(
      'Unknown OAuth provider "nope" (configured: slow, fast).',
    );
  });

  it('after consent, the group is called with the access token; tokens are encrypted at rest, per client', async () => {
    const headers = await init();
    const callback = await consent(headers, 'slow');
    expect(callback.status).toBe(200);
    expect(await callback.text()).toContain('Access to <b>slow</b> is granted');

    const done = await execute(headers, 'return await api.profile.me({});');
    expect(done).toMatchObject({ status: 'completed', result: { sub: 'user-1' } });
    // The OpenAPI group of type `oauth` uses the same consent.
    const viaOpenAPI = await execute(headers, 'return await api.accounts.getUserInfo({});');
    expect(viaOpenAPI).toMatchObject({ status: 'completed', result: { sub: 'user-1' } });

    // At rest: an AES-GCM envelope, no token in clear.
    const cache = server.engine.cache;
    const key = `oauth:token:slow:${encodeURIComponent(`client:${headers['x-client-id']}`)}`;
    const stored = await cache.get<string>(key);
    expect(stored).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(stored).not.toContain('access-');
    expect(stored).not.toContain('refresh-');

    // Another client has not consented: its call still asks for consent.
    const other = await init();
    const denied = await execute(other, 'return await api.profile.me({});');
    expect(denied.error.code).toBe('OAUTH_CONSENT_REQUIRED');
  });

  it('rejects a replayed, forged or denied callback', async () => {
    const headers = await init();
    const start = await fetch(`${url}/oauth/slow/authorize`, { headers, redirect: 'manual' });
    const atProvider = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const callback = atProvider.headers.get('location')!;
    expect((await fetch(callback)).status).toBe(200);
    const replay = await fetch(callback);
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as any).code).toBe('OAUTH_STATE_INVALID');

    const forged = await fetch(`${url}/oauth/callback?code=x&state=abc.def`);
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as any).error).toMatch(/Invalid OAuth state: its signature does not match/);

    slow.deny = true;
    try {
      const denied = await consent(headers, 'slow');
      expect(denied.status).toBe(502);
      expect(((await denied.json()) as any).error).toMatch(
        /slow authorization was not granted \(access_denied/,
      );
    } finally {
      slow.deny = false;
    }
  });

  it('refreshes an expired access token before the call, and asks for consent again when refresh is refused', async () => {
    const headers = await init();
    expect((await consent(headers, 'fast')).status).toBe(200);
    const before = fast.count('refresh_token');
    const first = await execute(headers, 'return await api.quick.me({});');
    const second = await execute(headers, 'return await api.quick.me({});');
    expect(first).toMatchObject({ status: 'completed', result: { sub: 'user-1' } });
    expect(second).toMatchObject({ status: 'completed', result: { sub: 'user-1' } });
    expect(fast.count('refresh_token')).toBe(before + 2);
    expect(second.result.grant).toBeGreaterThan(first.result.grant);

    fast.revokeAllRefreshTokens();
    const revoked = await execute(headers, 'return await api.quick.me({});');
    expect(revoked.error).toMatchObject({ code: 'OAUTH_CONSENT_REQUIRED' });
    expect(revoked.error.message).toContain(
      `OAuth consent for "fast" is required: the provider rejected the refresh token. Authorize at ${fast.authorizeUrl}?`,
    );
  });

  it('DELETE /oauth/:provider forgets the client’s tokens', async () => {
    const headers = await init();
    expect((await consent(headers, 'slow')).status).toBe(200);
    const removed = await fetch(`${url}/oauth/slow`, { method: 'DELETE', headers });
    expect((await removed.json()) as any).toEqual({ provider: 'slow', revoked: true });
    const after = await execute(headers, 'return await api.profile.me({});');
    expect(after.error.code).toBe('OAUTH_CONSENT_REQUIRED');
  });
});

describe('OAuth config', () => {
  it('names the bad field', () => {
    const base = { encryptionKey: ENCRYPTION_KEY, redirectUri: 'https://atp.example.com/oauth/callback' };
    expect(
      () =>
        createServer({
          oauth: {
            encryptionKey: ENCRYPTION_KEY,
            providers: [
              { name: 'x', authorizationUrl: () => '', exchangeCode: jest.fn(), refresh: jest.fn() },
            ],
          },
        }).engine,
    ).toThrow(/oauth\.redirectUri is required: the OAuth provider "x" has no redirectUri of its own/);
    const provider = { name: 'x', authorizationUrl: () => '', exchangeCode: jest.fn(), refresh: jest.fn() };
    expect(() => createServer({ oauth: { ...base, providers: [provider], encryptionKey: 'short' } })).toThrow(
      /oauth\.encryptionKey/,
    );
    expect(() => createServer({ oauth: { ...base, providers: [{ name: 'x' } as never] } })).toThrow(
      /oauth\.providers\.0: must be an OAuthProvider/,
    );
  });

  it('tokens belong to the user when init was authenticated: every client of that user shares the consent', async () => {
    const port = await freePort();
    const local = `http://127.0.0.1:${port}`;
    const userServer = createServer({
      auth: { jwtSecret: SECRET },
      execution: { isolatePoolSize: 0 },
      oauth: {
        providers: [
          new OAuth2Provider({
            name: 'slow',
            clientId: 'atp-slow',
            clientSecret: 'slow-secret',
            authorizeUrl: slow.authorizeUrl,
            tokenUrl: slow.tokenUrl,
          }),
        ],
        encryptionKey: ENCRYPTION_KEY,
        redirectUri: `${local}/oauth/callback`,
      },
    });
    userServer.setAuthProvider({
      name: 'header',
      authenticate: async (request) => ({ allowed: true, userId: String(request.headers['x-user']) }),
    });
    userServer.addAPIGroup(profileGroup('profile', slow, 'slow'));
    await userServer.listen(port);
    try {
      const initAs = async (user: string) => {
        const response = await fetch(`${local}/api/init`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-user': user },
          body: '{}',
        });
        const { clientId, token } = (await response.json()) as any as { clientId: string; token: string };
        return { authorization: `Bearer ${token}`, 'x-client-id': clientId };
      };
      const run = async (headers: Record<string, string>): Promise<any> =>
        (
          await fetch(`${local}/api/execute`, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            body: JSON.stringify({ code: 'return await api.profile.me({});' }),
          })
        ).json();
      const laptop = await initAs('alice');
      const start = await fetch(`${local}/oauth/slow/authorize`, { headers: laptop, redirect: 'manual' });
      const atProvider = await fetch(start.headers.get('location')!, { redirect: 'manual' });
      expect((await fetch(atProvider.headers.get('location')!)).status).toBe(200);

      const phone = await initAs('alice');
      expect(await run(phone)).toMatchObject({ status: 'completed', result: { sub: 'user-1' } });
      const bob = await initAs('bob');
      expect((await run(bob)).error.code).toBe('OAUTH_CONSENT_REQUIRED');
    } finally {
      await userServer.shutdown(1000);
    }
  });
});

describe('OAuth off', () => {
  it('serves no /oauth routes and leaves oauth groups to their own handlers', async () => {
    const plain = createServer({ auth: { jwtSecret: SECRET }, execution: { isolatePoolSize: 0 } });
    plain.addAPIGroup({
      name: 'mine',
      type: 'oauth',
      functions: [
        { name: 'peek', handler: (_input, context) => ({ hasCredentials: 'credentials' in context }) },
      ],
    });
    await plain.listen(0);
    try {
      const routes = await fetch(`${plain.url}/oauth/x/authorize`);
      expect(routes.status).toBe(404);
      const init = (await (await fetch(`${plain.url}/api/init`, { method: 'POST' })).json()) as any;
      const result = (await (
        await fetch(`${plain.url}/api/execute`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${init.token}`,
            'x-client-id': init.clientId,
          },
          body: JSON.stringify({ code: 'return await api.mine.peek({});' }),
        })
      ).json()) as any;
      expect(result).toMatchObject({ status: 'completed', result: { hasCredentials: false } });
    } finally {
      await plain.shutdown(1000);
    }
  });
});
