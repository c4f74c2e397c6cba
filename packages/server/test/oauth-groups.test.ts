/**
 * `oauth` API groups that bring their own provider, as in the original ATP README:
 * `server.addAPIGroup({ name, type: 'oauth', oauthProvider, functions: [{ handler: (input, credentials) => … }] })`.
 * A local authorization server speaks the real protocol in place of Google.
 */
import type { OAuthAPIGroup } from '@agent-tool-protocol/protocol';
import { OAuth2Provider } from '@agent-tool-protocol/providers';
import { createServer } from '@agent-tool-protocol/server';
import { FakeOAuthServer } from '@agent-tool-protocol/testing';
import { TEST_SECRET } from './support/http';

const ENCRYPTION_KEY = 'an-encryption-key-of-at-least-32-characters';
const base = { auth: { jwtSecret: TEST_SECRET }, execution: { isolatePoolSize: 0 } };

let idp: FakeOAuthServer;
beforeAll(async () => {
  idp = await FakeOAuthServer.start({ clientId: 'mail-client', clientSecret: 'mail-secret' });
});
afterAll(() => idp.close());

function provider(redirectUri: string | undefined, name = 'mail'): OAuth2Provider {
  return new OAuth2Provider({
    name,
    clientId: 'mail-client',
    clientSecret: 'mail-secret',
    authorizeUrl: idp.authorizeUrl,
    tokenUrl: idp.tokenUrl,
    ...(redirectUri ? { redirectUri } : {}),
    scopes: ['mail.send'],
  });
}

function mailGroup(oauthProvider: OAuth2Provider, seen: unknown[] = []): OAuthAPIGroup {
  return {
    name: 'mail',
    type: 'oauth',
    oauthProvider,
    functions: [
      {
        name: 'send',
        handler: async (input, credentials) => {
          seen.push({
            input,
            accessToken: credentials.accessToken,
            provider: credentials.credentials.provider,
          });
          return { sent: true, tokenLength: credentials.accessToken.length };
        },
      },
    ],
  };
}

async function client(url: string) {
  const init = (await (await fetch(`${url}/api/init`, { method: 'POST' })).json()) as {
    clientId: string;
    token: string;
  };
  const headers = {
    'content-type': 'application/json',
    authorization: `Bearer ${init.token}`,
    'x-client-id': init.clientId,
  };
  return async (code: string): Promise<any> =>
    (await fetch(`${url}/api/execute`, { method: 'POST', headers, body: JSON.stringify({ code }) })).json();
}

describe('an oauth group with its own provider', () => {
  it('added after start: the failed call carries a consent URL a browser can open; the callback is served at the provider’s redirect path; then the handler gets (input, credentials)', async () => {
    const server = createServer(base);
    await server.listen(0);
    try {
      const seen: unknown[] = [];
      server.addAPIGroup(mailGroup(provider(`${server.url}/auth/mail/done`), seen));
      const run = await client(server.url!);

      const first = await run("return await api.mail.send({ to: 'bob@example.com' });");
      expect(first).toMatchObject({ status: 'failed', error: { code: 'OAUTH_CONSENT_REQUIRED' } });
      const consentUrl = new URL(first.error.message.match(/Authorize at (\S+)$/)[1]);
      expect(`${consentUrl.origin}${consentUrl.pathname}`).toBe(idp.authorizeUrl);
      expect(consentUrl.searchParams.get('redirect_uri')).toBe(`${server.url}/auth/mail/done`);
      expect(consentUrl.searchParams.get('scope')).toBe('mail.send');
      expect(consentUrl.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(seen).toEqual([]);

      // The browser, with no ATP token: the provider's page, then back to the server.
      const atProvider = await fetch(consentUrl, { redirect: 'manual' });
      const callback = atProvider.headers.get('location')!;
      expect(callback.startsWith(`${server.url}/auth/mail/done?`)).toBe(true);
      const done = await fetch(callback, { redirect: 'manual' });
      expect(done.status).toBe(200);
      expect(await done.text()).toContain('Access to <b>mail</b> is granted');
      // The state is single-use.
      expect((await fetch(callback)).status).toBe(400);

      const second = await run("return await api.mail.send({ to: 'bob@example.com' });");
      expect(second).toMatchObject({ status: 'completed', result: { sent: true } });
      expect(seen).toEqual([
        { input: { to: 'bob@example.com' }, accessToken: expect.any(String), provider: 'mail' },
      ]);

      // Another client has not consented.
      const other = await client(server.url!);
      expect((await other('return await api.mail.send({});')).error.code).toBe('OAUTH_CONSENT_REQUIRED');
    } finally {
      await server.shutdown(100);
    }
  });

  it('fails at addAPIGroup when the provider has no redirect URI (before and after start); nothing is added', async () => {
    const server = createServer(base);
    expect(() => server.addAPIGroup(mailGroup(provider(undefined)))).toThrow(
      /API group "mail": oauthProvider\.redirectUri is required/,
    );
    await server.listen(0);
    try {
      expect(() => server.addAPIGroup(mailGroup(provider(undefined)))).toThrow(
        /oauthProvider\.redirectUri is required/,
      );
      expect(server.engine.catalog.getGroup('mail')).toBeUndefined();
      expect((await fetch(`${server.url}/oauth/callback`)).status).toBe(404);
    } finally {
      await server.shutdown(100);
    }
  });

  it('needs oauth.encryptionKey in production; in development a random key is used with a warning', async () => {
    const production = createServer({ ...base, mode: 'production' });
    expect(() => production.addAPIGroup(mailGroup(provider('http://localhost:3333/oauth/callback')))).toThrow(
      /oauth\.encryptionKey is required in production/,
    );
    const configured = createServer({
      ...base,
      mode: 'production',
      oauth: { encryptionKey: ENCRYPTION_KEY },
    });
    configured.addAPIGroup(mailGroup(provider('http://localhost:3333/oauth/callback')));
    expect(configured.engine.oauth.providers).toEqual(['mail']);
    await configured.shutdown(100);

    const warnings: string[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (_fields: unknown, message?: string) => void warnings.push(String(message)),
      error: () => undefined,
      child: () => logger,
    };
    const development = createServer({ ...base, mode: 'development', logger: logger as never });
    await development.listen(0);
    try {
      development.addAPIGroup(mailGroup(provider(`${development.url}/oauth/callback`)));
      const run = await client(development.url!);
      expect((await run('return await api.mail.send({});')).error.code).toBe('OAUTH_CONSENT_REQUIRED');
      expect(warnings.some((message) => /No oauth\.encryptionKey configured/.test(message))).toBe(true);
    } finally {
      await development.shutdown(100);
    }
  });

  it('one provider object may serve several groups; another provider under the same name is refused', () => {
    const server = createServer(base);
    const shared = provider('http://localhost:3333/oauth/callback');
    server.addAPIGroup(mailGroup(shared));
    server.addAPIGroup({ ...mailGroup(shared), name: 'calendar' });
    expect(() =>
      server.addAPIGroup({ ...mailGroup(provider('http://localhost:3333/oauth/callback')), name: 'drive' }),
    ).toThrow(/oauthProvider\.name "mail" is already registered for another OAuth provider/);
    expect(server.engine.catalog.getGroup('calendar')).toBeDefined();
  });
});
