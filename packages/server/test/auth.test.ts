import { createServer } from '@agent-tool-protocol/server';
import { SignJWT } from 'jose';
import { startServer, TEST_SECRET } from './support/http';

type Harness = Awaited<ReturnType<typeof startServer>>;

const protectedRoutes: Array<[string, string, unknown]> = [
  ['POST', '/api/token', {}],
  ['GET', '/api/definitions', undefined],
  ['GET', '/api/runtime', undefined],
  ['POST', '/api/search', { query: 'tickets' }],
  ['POST', '/api/explore', { path: '/' }],
  ['POST', '/api/execute', { code: 'return 1' }],
  ['POST', '/api/resume/exec_1', { result: 1 }],
  ['POST', '/api/cancel/exec_1', {}],
];

async function sign(claims: { sub: string; exp: number; iat?: number }, secret = TEST_SECRET) {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer('atp-server')
    .setAudience('atp-client')
    .setIssuedAt(claims.iat ?? Math.floor(Date.now() / 1000) - 10)
    .setExpirationTime(claims.exp)
    .sign(new TextEncoder().encode(secret));
}

describe('authentication over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer();
  });
  afterAll(() => h.close());

  it('serves /api/info, /health and /ready without a token and never hands one out', async () => {
    for (const path of ['/api/info', '/health', '/ready']) {
      const response = await h.call('GET', path);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-atp-token')).toBeNull();
    }
    const info = await h.call('GET', '/api/info');
    expect(info.json).toMatchObject({
      version: expect.any(String),
      capabilities: { execution: true },
      limits: { maxTimeout: 30000 },
    });
  });

  it.each(protectedRoutes)(
    '%s %s without a token is 401 with no token in the answer',
    async (method, path, body) => {
      const response = await h.call(method, path, body === undefined ? {} : { body });
      expect(response.status).toBe(401);
      expect(response.json).toEqual({ error: expect.stringContaining('token'), code: 'UNAUTHORIZED' });
      expect(response.headers.get('x-atp-token')).toBeNull();
    },
  );

  it('refuses a token signed with another secret', async () => {
    const { clientId } = await h.init();
    const forged = await sign(
      { sub: clientId, exp: Math.floor(Date.now() / 1000) + 60 },
      'another-secret-of-enough-length',
    );
    const response = await h.call('GET', '/api/definitions', {
      headers: { authorization: `Bearer ${forged}`, 'x-client-id': clientId },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-atp-token')).toBeNull();
  });

  it('refuses an expired token with TOKEN_EXPIRED', async () => {
    const { clientId } = await h.init();
    const expired = await sign({
      sub: clientId,
      exp: Math.floor(Date.now() / 1000) - 5,
      iat: Math.floor(Date.now() / 1000) - 100,
    });
    const response = await h.call('GET', '/api/definitions', {
      headers: { authorization: `Bearer ${expired}`, 'x-client-id': clientId },
    });
    expect(response.status).toBe(401);
    expect(response.json.code).toBe('TOKEN_EXPIRED');
  });

  it('refuses garbage, a non-bearer scheme and a token for an unknown client', async () => {
    for (const authorization of ['Bearer not-a-jwt', 'Basic dXNlcjpwYXNz', 'Bearer ']) {
      expect((await h.call('GET', '/api/definitions', { headers: { authorization } })).status).toBe(401);
    }
    const ghost = await sign({ sub: 'cli_ghost', exp: Math.floor(Date.now() / 1000) + 60 });
    expect(
      (await h.call('GET', '/api/definitions', { headers: { authorization: `Bearer ${ghost}` } })).status,
    ).toBe(401);
  });

  it("refuses one client's token presented with another client's id", async () => {
    const a = await h.init();
    const b = await h.init();
    const response = await h.call('GET', '/api/definitions', {
      headers: { authorization: `Bearer ${a.token}`, 'x-client-id': b.clientId },
    });
    expect(response.status).toBe(401);
  });

  it('refreshes a token through POST /api/token and the new one works', async () => {
    const a = await h.init();
    const refreshed = await h.call('POST', '/api/token', { body: {}, headers: a.headers });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json).toEqual({
      token: expect.any(String),
      expiresAt: expect.any(Number),
      tokenRotateAt: expect.any(Number),
    });
    const response = await h.call('GET', '/api/definitions', {
      headers: { authorization: `Bearer ${refreshed.json.token}`, 'x-client-id': a.clientId },
    });
    expect(response.status).toBe(200);
  });

  it("hides another client's execution behind a 404", async () => {
    const a = await h.init({ services: { hasLLM: true } });
    const b = await h.init();
    const paused = await h.call('POST', '/api/execute', {
      body: { code: 'return await atp.llm.call("hi")' },
      headers: a.headers,
    });
    expect(paused.json.status).toBe('paused');
    const stolen = await h.call('POST', `/api/resume/${paused.json.executionId}`, {
      body: { result: 'x' },
      headers: b.headers,
    });
    expect(stolen.status).toBe(404);
    expect(stolen.json.code).toBe('EXECUTION_NOT_FOUND');
    const cancel = await h.call('POST', `/api/cancel/${paused.json.executionId}`, {
      body: {},
      headers: b.headers,
    });
    expect(cancel.status).toBe(404);
    const own = await h.call('POST', `/api/resume/${paused.json.executionId}`, {
      body: { result: 'x' },
      headers: a.headers,
    });
    expect(own.json).toMatchObject({ status: 'completed', result: 'x' });
  });

  it('lets exactly one of two concurrent resumes win; the other gets 409', async () => {
    const a = await h.init({ services: { hasLLM: true } });
    const paused = await h.call('POST', '/api/execute', {
      body: { code: 'const x = await atp.llm.call("hi"); await api.tickets.wait({ ms: 300 }); return x' },
      headers: a.headers,
    });
    const path = `/api/resume/${paused.json.executionId}`;
    const [first, second] = await Promise.all([
      h.call('POST', path, { body: { result: 'one' }, headers: a.headers }),
      h.call('POST', path, { body: { result: 'two' }, headers: a.headers }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const winner = first.status === 200 ? first : second;
    expect(winner.json.status).toBe('completed');
  });
});

describe('token rotation and auth providers', () => {
  it('sends a rotated token to an authenticated client after the rotation time', async () => {
    const h = await startServer({ clientInit: { tokenTTL: 3600, tokenRotation: 1 } });
    try {
      const a = await h.init();
      const early = await h.call('GET', '/api/definitions', { headers: a.headers });
      expect(early.headers.get('x-atp-token')).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const late = await h.call('GET', '/api/definitions', { headers: a.headers });
      const rotated = late.headers.get('x-atp-token');
      expect(rotated).toEqual(expect.any(String));
      expect(Number(late.headers.get('x-atp-token-expires'))).toBeGreaterThan(Date.now());
      const withRotated = await h.call('GET', '/api/definitions', {
        headers: { authorization: `Bearer ${rotated}`, 'x-client-id': a.clientId },
      });
      expect(withRotated.status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('asks the auth provider before init and gives no token when it refuses', async () => {
    const h = await startServer({
      auth: {
        provider: {
          name: 'static-key',
          authenticate: async (request) =>
            request.headers['x-api-key'] === 'let-me-in'
              ? { allowed: true, userId: 'u1' }
              : { allowed: false, reason: 'unknown API key' },
        },
      },
    });
    try {
      const refused = await h.call('POST', '/api/init', { body: {} });
      expect(refused.status).toBe(401);
      expect(refused.json.error).toContain('unknown API key');
      expect(refused.json.token).toBeUndefined();
      expect(refused.headers.get('x-atp-token')).toBeNull();
      const allowed = await h.call('POST', '/api/init', { body: {}, headers: { 'x-api-key': 'let-me-in' } });
      expect(allowed.status).toBe(200);
      expect(allowed.json.token).toEqual(expect.any(String));
    } finally {
      await h.close();
    }
  });

  it('refuses to start in production without a JWT secret', async () => {
    const saved = process.env.ATP_JWT_SECRET;
    delete process.env.ATP_JWT_SECRET;
    try {
      const server = createServer({ mode: 'production' });
      await expect(server.listen(0)).rejects.toThrow(/JWT secret is required in production/);
      expect(server.url).toBeUndefined();
    } finally {
      if (saved !== undefined) process.env.ATP_JWT_SECRET = saved;
    }
  });
});
