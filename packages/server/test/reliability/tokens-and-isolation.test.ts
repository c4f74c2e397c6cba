import fc from 'fast-check';
import { SignJWT } from 'jose';
import { startServer, TEST_SECRET } from '../support/http';

type Harness = Awaited<ReturnType<typeof startServer>>;

const RUNS = Number(process.env.ATP_FUZZ_RUNS ?? 200);

async function sign(
  secret: string,
  claims: { sub: string; iat?: number; exp?: number; iss?: string; aud?: string },
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(claims.iss ?? 'atp-server')
    .setAudience(claims.aud ?? 'atp-client')
    .setIssuedAt(claims.iat ?? now)
    .setExpirationTime(claims.exp ?? now + 600)
    .sign(new TextEncoder().encode(secret));
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('reliability: tokens and cross-execution isolation', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({ execution: { timeout: 5_000, isolatePoolSize: 2 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('forged, expired, wrong-secret, wrong-audience, alg:none and other-client tokens are always refused', async () => {
    const victim = await h.init({ services: { hasLLM: true } });
    const attacker = await h.init();
    const paused = await h.call('POST', '/api/execute', {
      headers: victim.headers,
      body: { code: 'return await atp.llm.call("secret question");' },
    });
    expect(paused.json.status).toBe('paused');
    const executionId = paused.json.executionId as string;
    const now = Math.floor(Date.now() / 1000);
    const [header, , signature] = victim.token.split('.');
    const forged = [
      await sign('a-completely-different-secret!!', { sub: victim.clientId }),
      await sign(TEST_SECRET, { sub: victim.clientId, iat: now - 7200, exp: now - 3600 }),
      await sign(TEST_SECRET, { sub: victim.clientId, aud: 'someone-else' }),
      await sign(TEST_SECRET, { sub: victim.clientId, iss: 'evil' }),
      `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: victim.clientId, iss: 'atp-server', aud: 'atp-client', iat: now, exp: now + 600 })}.`,
      `${header}.${b64({ sub: victim.clientId, iss: 'atp-server', aud: 'atp-client', iat: now, exp: now + 99_999 })}.${signature}`,
      `${victim.token}x`,
      victim.token.slice(0, -2),
    ];
    for (const token of forged) {
      for (const [method, path] of [
        ['POST', `/api/resume/${executionId}`],
        ['GET', '/api/executions'],
        ['POST', '/api/execute'],
      ] as const) {
        const reply = await h.call(method, path, {
          headers: { authorization: `Bearer ${token}`, 'x-client-id': victim.clientId },
          ...(method === 'POST' ? { body: { result: 'stolen', code: 'return 1' } } : {}),
        });
        expect(reply.status).toBe(401);
        expect(reply.json.error).toMatch(/token|client/i);
      }
    }
    // A valid token of another client: X-Client-ID cannot borrow the victim's identity, and the
    // victim's execution is invisible (404, not 403: its existence is not revealed).
    const borrowed = await h.call('POST', `/api/resume/${executionId}`, {
      headers: { authorization: `Bearer ${attacker.token}`, 'x-client-id': victim.clientId },
      body: { result: 'stolen' },
    });
    expect(borrowed.status).toBe(401);
    for (const [method, path] of [
      ['POST', `/api/resume/${executionId}`],
      ['POST', `/api/cancel/${executionId}`],
      ['GET', `/api/executions/${executionId}`],
    ] as const) {
      const reply = await h.call(method, path, {
        headers: attacker.headers,
        ...(method === 'POST' ? { body: { result: 'stolen' } } : {}),
      });
      expect(reply.status).toBe(404);
    }
    const own = await h.call('POST', `/api/resume/${executionId}`, {
      headers: victim.headers,
      body: { result: 'mine' },
    });
    expect(own.json).toMatchObject({ status: 'completed', result: 'mine' });
  });

  it('the sandbox escape corpus, through HTTP, in random concurrent interleavings: no escape, no cross-execution leak', async () => {
    const clients = await Promise.all(Array.from({ length: 3 }, () => h.init()));
    // Each execution writes its own marker everywhere an execution could share state, yields at a
    // random point (a real host call), then reads it all back and tries the escape corpus.
    const code = (marker: string, waitMs: number) => `
      const marker = ${JSON.stringify(marker)};
      const before = { global: globalThis.__marker ?? null, proto: ({}).__marker ?? null, array: Array.prototype.__marker ?? null };
      globalThis.__marker = marker;
      Object.prototype.__marker = marker;
      Array.prototype.__marker = marker;
      JSON.__marker = marker;
      await api.tickets.wait({ ms: ${waitMs} });
      const escapes = [
        () => (function () {}).constructor.constructor('return process')(),
        () => this.constructor.constructor('return process')(),
        () => atp.log.info.constructor('return process')(),
        () => Object.getPrototypeOf(async function () {}).constructor('return process')(),
        () => api.tickets.wait.constructor.constructor('return process')(),
        () => (0, eval)('process'),
        () => (0, eval)('require'),
        () => Function('return this')().process,
      ].map((attempt) => { try { const value = attempt(); return value === undefined ? 'undefined' : (typeof value.then === 'function' ? 'promise' : typeof value); } catch (e) { return e.name; } });
      let frames = '';
      Error.prepareStackTrace = (error, callSites) => callSites.map((site) => String(site.getFileName())).join(' ');
      try { await api.tickets.get({ id: 'missing' }); } catch (e) { frames = String(e.stack); }
      return {
        before,
        after: { global: globalThis.__marker, proto: ({}).__marker, array: [].__marker, json: JSON.__marker },
        globals: ['process', 'require', 'Buffer', 'fetch', 'module'].map((name) => typeof globalThis[name]),
        escapes,
        frames,
      };`;
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ client: fc.nat(2), waitMs: fc.integer({ min: 0, max: 40 }) }), {
          minLength: 2,
          maxLength: 6,
        }),
        async (plan) => {
          const replies = await Promise.all(
            plan.map(({ client, waitMs }, index) => {
              const marker = `m-${index}-${Math.random().toString(36).slice(2)}`;
              return h
                .call('POST', '/api/execute', {
                  headers: (clients[client] as { headers: Record<string, string> }).headers,
                  body: { code: code(marker, waitMs) },
                })
                .then((reply) => ({ reply, marker }));
            }),
          );
          for (const { reply, marker } of replies) {
            // Over capacity is allowed (429); anything that ran must be isolated.
            if (reply.status === 429) continue;
            checked++;
            expect(reply.status).toBe(200);
            expect(reply.json.status).toBe('completed');
            const result = reply.json.result;
            expect(result.before).toEqual({ global: null, proto: null, array: null });
            expect(result.after).toEqual({ global: marker, proto: marker, array: marker, json: marker });
            expect(result.globals).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
            for (const outcome of result.escapes)
              expect(['ReferenceError', 'TypeError', 'EvalError', 'undefined', 'promise']).toContain(outcome);
            expect(result.frames).toMatch(/\S/);
            expect(result.frames).not.toMatch(/node:|node_modules|packages\//);
          }
        },
      ),
      { numRuns: Math.max(10, Math.round(RUNS / 10)), seed: 1416 },
    );
    expect(checked).toBeGreaterThanOrEqual(20);
    // The host was never touched.
    expect(({} as Record<string, unknown>).__marker).toBeUndefined();
    expect((globalThis as Record<string, unknown>).__marker).toBeUndefined();
  }, 90_000);
});
