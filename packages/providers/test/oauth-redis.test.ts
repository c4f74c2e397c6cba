import { randomUUID } from 'node:crypto';
import {
  OAuth2Provider,
  OAuthFlow,
  OAuthStateStore,
  OAuthTokenStore,
  RedisCache,
} from '@agent-tool-protocol/providers';
import { FakeOAuthServer, RedisServerProcess } from '@agent-tool-protocol/testing';

// Starting redis-server and waiting out reconnects can exceed jest's 5 s default on a busy machine.
jest.setTimeout(30_000);

let redis: RedisServerProcess;
let oauth: FakeOAuthServer;

beforeAll(async () => {
  redis = await RedisServerProcess.start();
  oauth = await FakeOAuthServer.start({ clientId: 'c', clientSecret: 's' });
});

afterAll(async () => {
  await oauth.close();
  await redis.stop();
});

/** One "server instance": its own Redis connection, provider object and stores, sharing Redis and the key. */
function instance(keyPrefix: string, now: () => number) {
  const cache = new RedisCache({ redis: redis.url, keyPrefix });
  const provider = new OAuth2Provider({
    name: 'acme',
    clientId: 'c',
    clientSecret: 's',
    authorizeUrl: oauth.authorizeUrl,
    tokenUrl: oauth.tokenUrl,
    now,
  });
  const tokenStore = new OAuthTokenStore({
    cache,
    encryptionKey: 'shared key for every instance, 32+ chars',
    providers: [provider],
    now,
  });
  const stateStore = new OAuthStateStore({ cache, secret: 'shared-state-secret' });
  const flow = new OAuthFlow({ tokenStore, stateStore, redirectUri: 'http://127.0.0.1:1/oauth/callback' });
  return { cache, tokenStore, flow };
}

it('begins on one instance, completes on another, and refreshes once across both through Redis', async () => {
  let now = Date.now();
  const keyPrefix = `oauth-${randomUUID()}:`;
  const a = instance(keyPrefix, () => now);
  const b = instance(keyPrefix, () => now);
  try {
    const { authorizeUrl } = await a.flow.begin({ subject: 'client-1', provider: 'acme' });
    const redirect = await fetch(authorizeUrl, { redirect: 'manual' });
    const callback = Object.fromEntries(new URL(redirect.headers.get('location')!).searchParams);
    expect(await b.flow.complete(callback)).toMatchObject({ subject: 'client-1', provider: 'acme' });
    await expect(a.flow.complete(callback)).rejects.toThrow(/Invalid OAuth state/);

    const original = await a.tokenStore.getAccessToken('client-1', 'acme');
    expect(await b.tokenStore.getAccessToken('client-1', 'acme')).toBe(original);

    now += 4_000_000;
    oauth.refreshDelayMs = 150;
    const tokens = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).tokenStore.getAccessToken('client-1', 'acme')),
    );
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(original);
    expect(oauth.count('refresh_token')).toBe(1);
  } finally {
    oauth.refreshDelayMs = 0;
    await a.cache.close();
    await b.cache.close();
  }
});
