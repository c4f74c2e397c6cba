import { createHash, randomBytes } from 'node:crypto';
import { ConfigError, isATPError, MemoryCache, NotFoundError } from '@agent-tool-protocol/protocol';
import {
  createPKCEPair,
  GitHubOAuthProvider,
  GoogleOAuthProvider,
  OAuth2Provider,
  OAuthConsentRequiredError,
  OAuthError,
  OAuthFlow,
  OAuthStateError,
  OAuthStateStore,
  OAuthTokenStore,
} from '@agent-tool-protocol/providers';
import { FakeOAuthServer } from '@agent-tool-protocol/testing';

const CLIENT = { clientId: 'atp-client', clientSecret: 'atp-client-secret' };
const REDIRECT_URI = 'http://127.0.0.1:1/oauth/callback';
const KEY = 'an encryption key of at least 32 characters!';

let server: FakeOAuthServer;

beforeEach(async () => {
  server = await FakeOAuthServer.start({ ...CLIENT });
});

afterEach(async () => {
  await server.close();
});

function genericProvider(overrides: Partial<ConstructorParameters<typeof OAuth2Provider>[0]> = {}) {
  return new OAuth2Provider({
    name: 'acme',
    ...CLIENT,
    authorizeUrl: server.authorizeUrl,
    tokenUrl: server.tokenUrl,
    scopes: ['read', 'write'],
    ...overrides,
  });
}

function setup(options: { now?: () => number; cache?: MemoryCache; provider?: OAuth2Provider } = {}) {
  const cache = options.cache ?? new MemoryCache();
  const provider = options.provider ?? genericProvider(options.now ? { now: options.now } : {});
  const tokenStore = new OAuthTokenStore({
    cache,
    encryptionKey: KEY,
    providers: [provider],
    consentUrl: (subject, name) => `https://atp.example.com/oauth/${name}/authorize?client=${subject}`,
    ...(options.now ? { now: options.now } : {}),
  });
  const stateStore = new OAuthStateStore({ cache, secret: 'state-signing-secret-123' });
  const flow = new OAuthFlow({ tokenStore, stateStore, redirectUri: REDIRECT_URI });
  return { cache, provider, tokenStore, stateStore, flow };
}

/** Plays the browser: follows the authorize URL to the provider and returns the callback's query. */
async function authorizeInBrowser(authorizeUrl: string): Promise<Record<string, string>> {
  const response = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
  return Object.fromEntries(location.searchParams);
}

async function authorize(flow: OAuthFlow, subject = 'client-1', provider = 'acme') {
  const { authorizeUrl } = await flow.begin({ subject, provider });
  return flow.complete(await authorizeInBrowser(authorizeUrl));
}

describe('createPKCEPair', () => {
  it('makes a 43-character base64url verifier and its S256 challenge', () => {
    const pair = createPKCEPair();
    expect(pair.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pair.codeChallenge).toBe(createHash('sha256').update(pair.codeVerifier).digest('base64url'));
    expect(pair.codeChallengeMethod).toBe('S256');
    expect(createPKCEPair().codeVerifier).not.toBe(pair.codeVerifier);
  });
});

describe('OAuth2Provider', () => {
  it('builds an authorization-code + PKCE authorize URL', () => {
    const url = new URL(
      genericProvider({ authorizeParams: { audience: 'api' } }).authorizationUrl({
        state: 's1',
        redirectUri: REDIRECT_URI,
        codeChallenge: 'challenge',
      }),
    );
    expect(`${url.origin}${url.pathname}`).toBe(server.authorizeUrl);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      audience: 'api',
      response_type: 'code',
      client_id: CLIENT.clientId,
      redirect_uri: REDIRECT_URI,
      state: 's1',
      code_challenge: 'challenge',
      code_challenge_method: 'S256',
      scope: 'read write',
    });
  });

  it('exchanges a code with the PKCE verifier, and the server refuses a wrong verifier', async () => {
    const provider = genericProvider();
    const pkce = createPKCEPair();
    const callback = await authorizeInBrowser(
      provider.authorizationUrl({ state: 's', redirectUri: REDIRECT_URI, codeChallenge: pkce.codeChallenge }),
    );
    const wrong = await provider
      .exchangeCode(callback.code!, createPKCEPair().codeVerifier, REDIRECT_URI)
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(OAuthError);
    expect((wrong as OAuthError).oauthError).toBe('invalid_grant');
    expect((wrong as Error).message).toMatch(
      /acme token endpoint refused the authorization_code grant \(HTTP 400, invalid_grant/,
    );

    const again = await authorizeInBrowser(
      provider.authorizationUrl({ state: 's', redirectUri: REDIRECT_URI, codeChallenge: pkce.codeChallenge }),
    );
    const before = Date.now();
    const tokens = await provider.exchangeCode(again.code!, pkce.codeVerifier, REDIRECT_URI);
    expect(tokens).toMatchObject({
      accessToken: expect.stringMatching(/^access-/),
      refreshToken: expect.stringMatching(/^refresh-/),
      tokenType: 'Bearer',
      scope: 'read write',
    });
    expect(tokens.expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
  });

  it('refreshes with a refresh token and supports client_secret_basic', async () => {
    const provider = genericProvider({ clientAuthentication: 'client_secret_basic' });
    const pkce = createPKCEPair();
    const callback = await authorizeInBrowser(
      provider.authorizationUrl({ state: 's', redirectUri: REDIRECT_URI, codeChallenge: pkce.codeChallenge }),
    );
    const first = await provider.exchangeCode(callback.code!, pkce.codeVerifier, REDIRECT_URI);
    const second = await provider.refresh(first.refreshToken!);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(server.count('refresh_token')).toBe(1);
  });

  it('reports a wrong client secret without echoing it', async () => {
    const error = await genericProvider({ clientSecret: 'not-the-secret' })
      .refresh('r')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect((error as OAuthError).oauthError).toBe('invalid_client');
    expect(
      JSON.stringify({ message: (error as Error).message, details: (error as OAuthError).details }),
    ).not.toContain('not-the-secret');
  });

  it('reports an unreachable token endpoint as an OAuthError', async () => {
    const provider = genericProvider();
    await server.close();
    const error = await provider.refresh('r').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect((error as Error).message).toMatch(/could not be reached/);
    server = await FakeOAuthServer.start({ ...CLIENT });
  });

  it('names bad options', () => {
    expect(() => genericProvider({ tokenUrl: 'not a url' })).toThrow(/tokenUrl/);
    expect(() => genericProvider({ name: 'has space' })).toThrow(/name/);
    expect(() => new OAuth2Provider({} as never)).toThrow(/clientId/);
  });
});

describe('GoogleOAuthProvider and GitHubOAuthProvider', () => {
  it('point at the real endpoints, Google asking for offline access', () => {
    const request = { state: 's', redirectUri: REDIRECT_URI, codeChallenge: 'c' };
    const google = new URL(new GoogleOAuthProvider(CLIENT).authorizationUrl(request));
    expect(`${google.origin}${google.pathname}`).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(google.searchParams.get('access_type')).toBe('offline');
    expect(google.searchParams.get('prompt')).toBe('consent');
    expect(google.searchParams.get('scope')).toBe('openid email profile');
    expect(google.searchParams.get('code_challenge_method')).toBe('S256');
    const github = new URL(
      new GitHubOAuthProvider({ ...CLIENT, scopes: ['repo'] }).authorizationUrl(request),
    );
    expect(`${github.origin}${github.pathname}`).toBe('https://github.com/login/oauth/authorize');
    expect(github.searchParams.get('scope')).toBe('repo');
    expect(new GoogleOAuthProvider(CLIENT).name).toBe('google');
    expect(new GitHubOAuthProvider(CLIENT).name).toBe('github');
  });

  it('GitHub: an HTTP 200 answer with an error field is a failure', async () => {
    const githubLike = await FakeOAuthServer.start({ ...CLIENT, errorsWithStatus200: true });
    try {
      const github = new GitHubOAuthProvider({
        ...CLIENT,
        authorizeUrl: githubLike.authorizeUrl,
        tokenUrl: githubLike.tokenUrl,
      });
      const error = await github.refresh('unknown').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OAuthError);
      expect((error as OAuthError).oauthError).toBe('invalid_grant');
    } finally {
      await githubLike.close();
    }
  });

  it('names the class in option errors', () => {
    expect(() => new GoogleOAuthProvider({ clientId: '', clientSecret: 'x' })).toThrow(
      /GoogleOAuthProvider options: clientId/,
    );
  });
});

describe('OAuthFlow + OAuthTokenStore against a fake OAuth server', () => {
  it('authorizes, stores the tokens encrypted, and hands out working credentials', async () => {
    const { flow, tokenStore, cache } = setup();
    const { authorizeUrl, state } = await flow.begin({
      subject: 'client-1',
      provider: 'acme',
      returnTo: '/done',
    });
    expect(new URL(authorizeUrl).searchParams.get('state')).toBe(state);
    const completed = await flow.complete(await authorizeInBrowser(authorizeUrl));
    expect(completed).toEqual({
      subject: 'client-1',
      provider: 'acme',
      returnTo: '/done',
      scope: 'read write',
    });

    const credentials = await tokenStore.getCredentials('client-1', 'acme');
    expect(credentials).toMatchObject({ provider: 'acme', tokenType: 'Bearer', scope: 'read write' });
    expect(credentials).not.toHaveProperty('refreshToken');
    const userinfo = await fetch(`${server.url}/userinfo`, {
      headers: { authorization: `Bearer ${credentials.accessToken}` },
    });
    expect(userinfo.status).toBe(200);

    const stored: string[] = [];
    for await (const key of cache.keys('oauth:token:')) stored.push(JSON.stringify(await cache.get(key)));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^"v1\./);
    const tokens = await tokenStore.load('client-1', 'acme');
    expect(stored[0]).not.toContain(tokens!.accessToken);
    expect(stored[0]).not.toContain(tokens!.refreshToken);
  });

  it('keeps tokens per (subject, provider)', async () => {
    const { flow, tokenStore } = setup();
    await authorize(flow, 'client-1');
    await authorize(flow, 'client-2');
    const one = await tokenStore.getAccessToken('client-1', 'acme');
    const two = await tokenStore.getAccessToken('client-2', 'acme');
    expect(one).not.toBe(two);
    await expect(tokenStore.getAccessToken('client-3', 'acme')).rejects.toBeInstanceOf(
      OAuthConsentRequiredError,
    );
  });

  it('refreshes an expired access token once and keeps the new refresh token', async () => {
    let now = Date.now();
    const { flow, tokenStore } = setup({ now: () => now });
    await authorize(flow);
    const first = await tokenStore.load('client-1', 'acme');
    expect(await tokenStore.getAccessToken('client-1', 'acme')).toBe(first!.accessToken);
    expect(server.count('refresh_token')).toBe(0);

    now += 3_600_000 - 30_000; // inside the 60 s refresh skew
    const refreshed = await tokenStore.getAccessToken('client-1', 'acme');
    expect(refreshed).not.toBe(first!.accessToken);
    expect(server.count('refresh_token')).toBe(1);
    const second = await tokenStore.load('client-1', 'acme');
    expect(second!.refreshToken).not.toBe(first!.refreshToken);
    expect(await tokenStore.getAccessToken('client-1', 'acme')).toBe(refreshed);
    expect(server.count('refresh_token')).toBe(1);

    const userinfo = await fetch(`${server.url}/userinfo`, {
      headers: { authorization: `Bearer ${refreshed}` },
    });
    expect(userinfo.status).toBe(200);
  });

  it('refreshes once when many callers on two instances sharing one cache race', async () => {
    let now = Date.now();
    const cache = new MemoryCache();
    const a = setup({ cache, now: () => now });
    const b = setup({ cache, now: () => now });
    await authorize(a.flow);
    now += 4_000_000;
    server.refreshDelayMs = 150;
    const tokens = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 === 0 ? a : b).tokenStore.getAccessToken('client-1', 'acme'),
      ),
    );
    expect(server.count('refresh_token')).toBe(1);
    expect(server.count('refresh_token', false)).toBe(0);
    expect(new Set(tokens).size).toBe(1);
    expect(await cache.has('oauth:lock:acme:client-1')).toBe(false);
  });

  it('asks for consent, with the authorize URL, when nothing is stored', async () => {
    const { tokenStore } = setup();
    const error = await tokenStore.getCredentials('client-9', 'acme').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthConsentRequiredError);
    expect(isATPError(error)).toBe(true);
    const consent = error as OAuthConsentRequiredError;
    expect(consent.code).toBe('OAUTH_CONSENT_REQUIRED');
    expect(consent.httpStatus).toBe(403);
    expect(consent.details).toMatchObject({
      provider: 'acme',
      authorizeUrl: 'https://atp.example.com/oauth/acme/authorize?client=client-9',
    });
    expect(consent.message).toContain('https://atp.example.com/oauth/acme/authorize?client=client-9');
  });

  it('asks for consent again and forgets the tokens when the provider revokes the refresh token', async () => {
    let now = Date.now();
    const { flow, tokenStore } = setup({ now: () => now });
    await authorize(flow);
    server.revokeAllRefreshTokens();
    now += 4_000_000;
    const error = await tokenStore.getAccessToken('client-1', 'acme').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthConsentRequiredError);
    expect((error as Error).message).toMatch(/rejected the refresh token/);
    expect(await tokenStore.load('client-1', 'acme')).toBeUndefined();
  });

  it('asks for consent when an access token expires without a refresh token', async () => {
    let now = Date.now();
    const { tokenStore } = setup({ now: () => now });
    await tokenStore.save('client-1', 'acme', { accessToken: 'short-lived', expiresAt: now + 120_000 });
    expect(await tokenStore.getAccessToken('client-1', 'acme')).toBe('short-lived');
    now += 120_000;
    await expect(tokenStore.getAccessToken('client-1', 'acme')).rejects.toThrow(/no refresh token/);
  });

  it('rejects an unknown provider with a 404 naming the configured ones', async () => {
    const { flow } = setup();
    const error = await flow.begin({ subject: 'c', provider: 'nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toBe('Unknown OAuth provider "nope" (configured: acme).');
  });

  it('turns a denied consent into an OAuthError', async () => {
    const { flow } = setup();
    server.deny = true;
    const { authorizeUrl } = await flow.begin({ subject: 'client-1', provider: 'acme' });
    const error = await flow.complete(await authorizeInBrowser(authorizeUrl)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect((error as OAuthError).oauthError).toBe('access_denied');
  });
});

describe('OAuthStateStore (CSRF protection)', () => {
  it('accepts a state once', async () => {
    const { flow } = setup();
    const { authorizeUrl } = await flow.begin({ subject: 'client-1', provider: 'acme' });
    const callback = await authorizeInBrowser(authorizeUrl);
    await flow.complete(callback);
    const replay = await flow.complete(callback).catch((e: unknown) => e);
    expect(replay).toBeInstanceOf(OAuthStateError);
    expect((replay as OAuthStateError).code).toBe('OAUTH_STATE_INVALID');
    expect((replay as OAuthStateError).httpStatus).toBe(400);
  });

  it('lets exactly one of two concurrent callbacks with the same state through', async () => {
    const cache = new MemoryCache();
    const store = new OAuthStateStore({ cache });
    const state = await store.create({
      subject: 's',
      provider: 'acme',
      redirectUri: REDIRECT_URI,
      codeVerifier: 'v',
    });
    const results = await Promise.allSettled([
      store.consume(state),
      store.consume(state),
      store.consume(state),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('rejects forged, tampered, unknown and missing states', async () => {
    const { stateStore } = setup();
    const state = await stateStore.create({
      subject: 's',
      provider: 'acme',
      redirectUri: REDIRECT_URI,
      codeVerifier: 'v',
    });
    const [nonce, signature] = state.split('.');
    await expect(stateStore.consume(`${nonce}.${signature!.slice(1)}x`)).rejects.toThrow(
      /signature does not match/,
    );
    await expect(stateStore.consume(randomBytes(32).toString('base64url'))).rejects.toThrow(/not signed/);
    await expect(stateStore.consume('')).rejects.toThrow(/missing or malformed/);
    const unsigned = new OAuthStateStore({ cache: new MemoryCache() });
    await expect(unsigned.consume(randomBytes(32).toString('base64url'))).rejects.toThrow(
      /unknown, expired or already used/,
    );
    expect(await stateStore.consume(state)).toMatchObject({
      subject: 's',
      provider: 'acme',
      codeVerifier: 'v',
    });
  });

  it('binds the state to the client and provider it was issued for', async () => {
    const { stateStore } = setup();
    const record = { subject: 'client-1', provider: 'acme', redirectUri: REDIRECT_URI, codeVerifier: 'v' };
    await expect(
      stateStore.consume(await stateStore.create(record), { subject: 'attacker' }),
    ).rejects.toThrow(/another client/);
    await expect(stateStore.consume(await stateStore.create(record), { provider: 'github' })).rejects.toThrow(
      /provider "acme"/,
    );
    expect(
      await stateStore.consume(await stateStore.create(record), { subject: 'client-1', provider: 'acme' }),
    ).toMatchObject(record);
  });

  it('expires states', async () => {
    const store = new OAuthStateStore({ cache: new MemoryCache(), ttlSeconds: 0.2 });
    const state = await store.create({
      subject: 's',
      provider: 'acme',
      redirectUri: REDIRECT_URI,
      codeVerifier: 'v',
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await expect(store.consume(state)).rejects.toBeInstanceOf(OAuthStateError);
  });
});

describe('OAuthTokenStore encryption', () => {
  const tokens = { accessToken: 'at-secret', refreshToken: 'rt-secret', expiresAt: Date.now() + 3_600_000 };

  it('cannot be read with another key, but can with the old key listed during a rotation', async () => {
    const cache = new MemoryCache();
    await new OAuthTokenStore({ cache, encryptionKey: KEY }).save('c', 'acme', tokens);
    const otherKey = new OAuthTokenStore({ cache, encryptionKey: 'a completely different key, 32+ chars' });
    expect(await otherKey.load('c', 'acme')).toBeUndefined();
    const rotated = new OAuthTokenStore({
      cache,
      encryptionKey: randomBytes(32),
      previousEncryptionKeys: [KEY],
    });
    expect(await rotated.load('c', 'acme')).toEqual(tokens);
  });

  it('binds a record to its (subject, provider): a copied record does not decrypt', async () => {
    const cache = new MemoryCache();
    const store = new OAuthTokenStore({ cache, encryptionKey: KEY });
    await store.save('victim', 'acme', tokens);
    await cache.set('oauth:token:acme:attacker', await cache.get('oauth:token:acme:victim'));
    expect(await store.load('attacker', 'acme')).toBeUndefined();
    expect(await store.load('victim', 'acme')).toEqual(tokens);
  });

  it('refuses weak keys', () => {
    expect(() => new OAuthTokenStore({ cache: new MemoryCache(), encryptionKey: 'short' })).toThrow(
      ConfigError,
    );
    expect(() => new OAuthTokenStore({ cache: new MemoryCache(), encryptionKey: randomBytes(16) })).toThrow(
      /32 bytes/,
    );
    expect(() => new OAuthTokenStore({ cache: undefined as never, encryptionKey: KEY })).toThrow(/cache/);
  });
});
