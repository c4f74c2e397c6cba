import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderError, ValidationError } from '@agent-tool-protocol/protocol';
import { APIKeyAuthProvider, JWTAuthProvider } from '@agent-tool-protocol/providers';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

type KeyLike = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

const KEY_A = 'key-aaaaaaaaaaaaaaaaaaaaaaaa';
const KEY_B = 'key-bbbbbbbbbbbbbbbbbbbbbbbb';

describe('APIKeyAuthProvider', () => {
  const provider = new APIKeyAuthProvider({
    keys: [KEY_A, { key: KEY_B, userId: 'team-b', scopes: ['read'] }],
  });

  it('accepts a known key from X-API-Key (any case) or Authorization: Bearer', async () => {
    expect(await provider.authenticate({ headers: { 'x-api-key': KEY_B } })).toEqual({
      allowed: true,
      userId: 'team-b',
      scopes: ['read'],
    });
    expect(await provider.authenticate({ headers: { 'X-API-Key': KEY_B } })).toMatchObject({
      allowed: true,
      userId: 'team-b',
    });
    expect(await provider.authenticate({ headers: { authorization: `Bearer ${KEY_B}` } })).toMatchObject({
      allowed: true,
    });
    expect(await provider.authenticate({ headers: { 'x-api-key': [KEY_A, 'other'] } })).toMatchObject({
      allowed: true,
    });
  });

  it('gives a key without a userId a stable identity that does not reveal the key', async () => {
    const first = await provider.authenticate({ headers: { 'x-api-key': KEY_A } });
    const second = await provider.authenticate({ headers: { authorization: `Bearer ${KEY_A}` } });
    expect(first).toEqual(second);
    expect(first.allowed && first.userId).toMatch(/^apikey:[0-9a-f]{12}$/);
    expect(JSON.stringify(first)).not.toContain(KEY_A);
  });

  it('refuses missing and wrong keys without echoing them', async () => {
    expect(await provider.authenticate({ headers: {} })).toEqual({
      allowed: false,
      reason: 'Missing API key: send it in the x-api-key header or as Authorization: Bearer <key>.',
    });
    const wrong = await provider.authenticate({ headers: { 'x-api-key': `${KEY_A}x` } });
    expect(wrong).toEqual({ allowed: false, reason: 'Invalid API key.' });
    expect(await provider.authenticate({ headers: { 'x-api-key': KEY_A.slice(0, -1) } })).toMatchObject({
      allowed: false,
    });
    expect(await provider.authenticate({ headers: { authorization: `Basic ${KEY_A}` } })).toMatchObject({
      allowed: false,
    });
  });

  it('asks validate() about keys it does not know', async () => {
    const seen: string[] = [];
    const dynamic = new APIKeyAuthProvider({
      keys: [KEY_A],
      validate: async (key) => {
        seen.push(key);
        if (key === 'db-key-1') return { userId: 'db-user', scopes: ['admin'] };
        return key === 'db-key-2';
      },
    });
    expect(await dynamic.authenticate({ headers: { 'x-api-key': KEY_A } })).toMatchObject({ allowed: true });
    expect(await dynamic.authenticate({ headers: { 'x-api-key': 'db-key-1' } })).toEqual({
      allowed: true,
      userId: 'db-user',
      scopes: ['admin'],
    });
    expect(await dynamic.authenticate({ headers: { 'x-api-key': 'db-key-2' } })).toMatchObject({
      allowed: true,
      userId: expect.stringMatching(/^apikey:/),
    });
    expect(await dynamic.authenticate({ headers: { 'x-api-key': 'db-key-3' } })).toMatchObject({
      allowed: false,
    });
    expect(seen).toEqual(['db-key-1', 'db-key-2', 'db-key-3']);
  });

  it('reads a custom header', async () => {
    const custom = new APIKeyAuthProvider({ keys: [KEY_A], header: 'X-ATP-Key' });
    expect(await custom.authenticate({ headers: { 'x-atp-key': KEY_A } })).toMatchObject({ allowed: true });
    expect(await custom.authenticate({ headers: { 'x-api-key': KEY_A } })).toMatchObject({ allowed: false });
  });

  it('names bad options', () => {
    expect(() => new APIKeyAuthProvider({})).toThrow(ValidationError);
    expect(() => new APIKeyAuthProvider({})).toThrow(/keys: give keys or validate/);
    expect(() => new APIKeyAuthProvider({ keys: ['short'] })).toThrow(/keys\.0/);
    expect(() => new APIKeyAuthProvider({ keys: [] })).toThrow(/at least one key/);
  });
});

describe('JWTAuthProvider with a shared secret', () => {
  const secret = 'a-shared-hmac-secret-of-32-bytes!!';
  const sign = (
    claims: Record<string, unknown>,
    options: { secret?: string; expiresIn?: string; issuer?: string; audience?: string } = {},
  ) => {
    let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setSubject('user-1');
    if (options.issuer) jwt = jwt.setIssuer(options.issuer);
    if (options.audience) jwt = jwt.setAudience(options.audience);
    jwt = jwt.setExpirationTime(options.expiresIn ?? '5m');
    return jwt.sign(new TextEncoder().encode(options.secret ?? secret));
  };
  const provider = new JWTAuthProvider({ secret, issuer: 'https://issuer.test', audience: 'atp' });
  const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

  it('accepts a valid token with user id, scopes and claims', async () => {
    const token = await sign(
      { scope: 'read write', team: 'x' },
      { issuer: 'https://issuer.test', audience: 'atp' },
    );
    const result = await provider.authenticate(bearer(token));
    expect(result).toMatchObject({
      allowed: true,
      userId: 'user-1',
      scopes: ['read', 'write'],
      claims: { team: 'x', iss: 'https://issuer.test' },
    });
  });

  it('refuses wrong issuer, wrong audience, expired, wrong secret, missing and garbage tokens', async () => {
    const cases: Array<[string, RegExp]> = [
      [await sign({}, { issuer: 'https://evil.test', audience: 'atp' }), /"iss" claim/],
      [await sign({}, { issuer: 'https://issuer.test', audience: 'other' }), /"aud" claim/],
      [await sign({}, { issuer: 'https://issuer.test', audience: 'atp', expiresIn: '-1m' }), /expired/],
      [
        await sign(
          {},
          { issuer: 'https://issuer.test', audience: 'atp', secret: 'another-secret-of-at-least-32-bytes' },
        ),
        /signature is invalid/,
      ],
      ['not.a.jwt', /malformed or invalid/],
    ];
    for (const [token, reason] of cases) {
      const result = await provider.authenticate(bearer(token));
      expect(result.allowed).toBe(false);
      expect(!result.allowed && result.reason).toMatch(reason);
    }
    expect(await provider.authenticate({ headers: {} })).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/Missing bearer token/),
    });
  });

  it('refuses an unsigned (alg: none) token', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: 'admin', iss: 'https://issuer.test', aud: 'atp' })}.`;
    expect(await provider.authenticate(bearer(unsigned))).toMatchObject({ allowed: false });
  });

  it('names bad options', () => {
    expect(() => new JWTAuthProvider({})).toThrow(/exactly one of secret or jwksUrl/);
    expect(() => new JWTAuthProvider({ secret: 'short' })).toThrow(/secret: must be at least 32 bytes/);
    expect(() => new JWTAuthProvider({ secret, jwksUrl: 'http://127.0.0.1/jwks' })).toThrow(/exactly one/);
  });
});

describe('JWTAuthProvider with a JWKS endpoint', () => {
  let server: Server;
  let jwksUrl: string;
  let jwksRequests = 0;
  let jwks: { keys: JWK[] };
  let signingKey: KeyLike;
  let failJwks = false;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    signingKey = privateKey;
    jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'ES256', use: 'sig' }] };
    server = createServer((request, response) => {
      jwksRequests++;
      if (failJwks) {
        response.writeHead(500).end('down');
        return;
      }
      if (request.url !== '/.well-known/jwks.json') {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const sign = (key: KeyLike, kid: string, claims: Record<string, unknown> = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject('user-jwks')
      .setIssuer('https://issuer.test')
      .setExpirationTime('5m')
      .sign(key);

  it('verifies tokens against keys fetched from the JWKS, fetching it once', async () => {
    const provider = new JWTAuthProvider({ jwksUrl, issuer: 'https://issuer.test' });
    const before = jwksRequests;
    for (let i = 0; i < 3; i++) {
      const result = await provider.authenticate({
        headers: { authorization: `Bearer ${await sign(signingKey, 'key-1', { scp: ['a', 'b'] })}` },
      });
      expect(result).toMatchObject({ allowed: true, userId: 'user-jwks', scopes: ['a', 'b'] });
    }
    expect(jwksRequests - before).toBe(1);
  });

  it('refuses a token signed by a key the issuer does not publish', async () => {
    const provider = new JWTAuthProvider({ jwksUrl });
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await provider.authenticate({
      headers: { authorization: `Bearer ${await sign(privateKey, 'key-1')}` },
    });
    expect(forged).toMatchObject({ allowed: false, reason: 'The token signature is invalid.' });
    const unknownKid = await provider.authenticate({
      headers: { authorization: `Bearer ${await sign(privateKey, 'key-9')}` },
    });
    expect(unknownKid).toMatchObject({ allowed: false, reason: 'No key of the issuer matches the token.' });
  });

  it('refuses an HMAC token signed with the public key (algorithm confusion)', async () => {
    const provider = new JWTAuthProvider({ jwksUrl });
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
      .setSubject('attacker')
      .sign(new TextEncoder().encode(JSON.stringify(jwks.keys[0])));
    expect(await provider.authenticate({ headers: { authorization: `Bearer ${token}` } })).toMatchObject({
      allowed: false,
    });
  });

  it('reports a JWKS it cannot fetch as a ProviderError, not as a bad token', async () => {
    failJwks = true;
    try {
      const provider = new JWTAuthProvider({ jwksUrl });
      const token = await sign(signingKey, 'key-1');
      await expect(
        provider.authenticate({ headers: { authorization: `Bearer ${token}` } }),
      ).rejects.toBeInstanceOf(ProviderError);
      const unreachable = new JWTAuthProvider({ jwksUrl: 'http://127.0.0.1:1/jwks.json' });
      await expect(
        unreachable.authenticate({ headers: { authorization: `Bearer ${token}` } }),
      ).rejects.toThrow(/JWKS at http:\/\/127\.0\.0\.1:1/);
    } finally {
      failJwks = false;
    }
  });
});
