import fc from 'fast-check';
import { startServer } from '../support/http';
import { headFor, type RawReply, rawRequest } from './support/raw-http';

// Property-based fuzzing of every route's body, headers and path params over raw sockets (so
// nothing is cleaned up client-side). The property: a 2xx or a 4xx, never a 5xx, a crash or a
// hang; a 4xx from ATP carries `{error, code}` naming the problem.

type Harness = Awaited<ReturnType<typeof startServer>>;

/** Cases per property: 200 in CI; `ATP_FUZZ_RUNS` raises it (the soak profile uses 5,000). */
const FUZZ_RUNS = Number(process.env.ATP_FUZZ_RUNS ?? 200);

const ROUTES: ReadonlyArray<readonly [string, string]> = [
  ['GET', '/api/info'],
  ['POST', '/api/init'],
  ['POST', '/api/token'],
  ['GET', '/api/definitions'],
  ['GET', '/api/runtime'],
  ['POST', '/api/search'],
  ['POST', '/api/explore'],
  ['POST', '/api/execute'],
  ['POST', '/api/plan'],
  ['GET', '/api/plan/PARAM'],
  ['POST', '/api/plan/PARAM/reject'],
  ['POST', '/api/execute/stream'],
  ['POST', '/api/resume/PARAM/stream'],
  ['POST', '/api/resume/PARAM'],
  ['POST', '/api/cancel/PARAM'],
  ['GET', '/api/executions'],
  ['GET', '/api/executions/PARAM'],
];

const deep = (depth: number, open: string, close: string, leaf = '1') =>
  open.repeat(depth) + leaf + close.repeat(depth);

/** Hostile bodies: any JSON, wrong types for the known fields, broken JSON, deep nesting, odd unicode. */
const bodyArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }).map((text) => JSON.stringify({ code: text, query: text })),
  fc
    .record({
      code: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 })),
      config: fc.oneof(fc.object({ maxDepth: 2 }), fc.string(), fc.constant(null)),
      query: fc.oneof(fc.string(), fc.integer(), fc.object({ maxDepth: 1 })),
      path: fc.oneof(fc.string(), fc.boolean()),
      result: fc.anything({ maxDepth: 3 }),
      results: fc.oneof(
        fc.array(fc.record({ id: fc.string(), result: fc.anything({ maxDepth: 2 }) })),
        fc.string(),
      ),
      clientInfo: fc.anything({ maxDepth: 2 }),
      tools: fc.anything({ maxDepth: 2 }),
      services: fc.anything({ maxDepth: 2 }),
    })
    .map((value) => JSON.stringify(value)),
  fc.constantFrom(
    '{',
    '{"code": "return 1"',
    '{"code": "\\ud800"}',
    '"\u0000"',
    '{"__proto__": {"polluted": true}, "code": "return 1"}',
    '{"constructor": {"prototype": {"polluted": true}}}',
    'null',
    '[]',
    '1e999999',
    '\uFEFF{"code":"return 1"}',
    deep(5_000, '[', ']'),
    deep(5_000, '{"a":', '}'),
    `{"code": "return 1", "config": ${deep(2_000, '{"a":', '}')}}`,
    `{"results": ${deep(3_000, '[', ']')}}`,
    `{"result": ${deep(3_000, '{"x":', '}')}}`,
    `{"query": ${deep(3_000, '[', ']', '"q"')}}`,
  ),
);

const contentTypeArbitrary = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/vnd.atp+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
);

const paramArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent),
  fc.constantFrom(
    '%',
    '%E0%A4%A',
    '%zz',
    '..%2F..%2Fetc%2Fpasswd',
    '%00',
    '%C0%AE',
    '%ED%A0%80',
    'a'.repeat(5_000),
  ),
);

function expectNeverServerError(reply: RawReply, what: string) {
  if (reply.status === 0 || reply.status >= 500) {
    throw new Error(`${what} answered ${reply.status}: ${reply.body.slice(0, 300)}`);
  }
  if (reply.status >= 400 && reply.json) {
    expect(typeof reply.json.error).toBe('string');
    expect(typeof reply.json.code).toBe('string');
  }
}

describe('reliability: hostile input', () => {
  let h: Harness;
  let auth: Record<string, string>;
  let port: number;

  beforeAll(async () => {
    h = await startServer({ execution: { timeout: 2_000 }, http: { bodyLimit: 256 * 1024 } });
    port = h.server.port as number;
    auth = (await h.init({ services: { hasLLM: true } })).headers;
  });
  afterAll(async () => {
    await h.close();
  });

  it('any body on any route, with any content type: 2xx or 4xx with a clear message, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        bodyArbitrary,
        contentTypeArbitrary,
        paramArbitrary,
        async ([method, template], body, contentType, param) => {
          const path = template.replace('PARAM', param);
          const headers = { ...auth, ...(contentType ? { 'Content-Type': contentType } : {}) };
          const payload = method === 'GET' ? '' : body;
          const reply = await rawRequest(port, headFor(method, path, headers, payload), payload);
          expectNeverServerError(reply, `${method} ${path.slice(0, 80)} with ${body.slice(0, 80)}`);
        },
      ),
      { numRuns: FUZZ_RUNS, seed: 1414 },
    );
    expect((await h.call('GET', '/health')).status).toBe(200);
  }, 120_000);

  it('huge and deeply nested bodies: 413 or 400 naming the problem', async () => {
    const fine = `{"code": "return 1", "config": ${deep(90, '{"a":', '}')}}`;
    const accepted = await rawRequest(
      port,
      headFor('POST', '/api/execute', { ...auth, 'Content-Type': 'application/json' }, fine),
      fine,
    );
    expect(accepted.json).toMatchObject({ status: 'completed', result: 1 });

    const huge = JSON.stringify({ code: `return "${'x'.repeat(300 * 1024)}"` });
    const tooLarge = await rawRequest(
      port,
      headFor('POST', '/api/execute', { ...auth, 'Content-Type': 'application/json' }, huge),
      huge,
    );
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      error: expect.stringMatching(/byte limit/),
    });

    for (const [path, body] of [
      ['/api/resume/some-id', `{"results": ${deep(20_000, '[', ']')}}`],
      ['/api/execute', `{"code": "return 1", "config": ${deep(10_000, '{"a":', '}')}}`],
      ['/api/search', `{"query": ${deep(20_000, '[', ']', '"q"')}}`],
      ['/api/init', `{"clientInfo": ${deep(20_000, '{"a":', '}')}}`],
    ] as const) {
      const reply = await rawRequest(
        port,
        headFor('POST', path, { ...auth, 'Content-Type': 'application/json' }, body),
        body,
      );
      expectNeverServerError(reply, `deep body on ${path}`);
      expect(reply.status).toBe(400);
      expect(reply.json?.error).toMatch(/more than 100 levels deep \(http\.maxJsonDepth\)/);
    }
    expect((await h.call('GET', '/health')).status).toBe(200);
  });

  it('any Authorization and X-Client-ID header on authenticated routes: refused with 401', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES.filter(([, path]) => path !== '/api/init' && path !== '/api/info')),
        fc.oneof(
          fc.string({ maxLength: 80 }).map((text) => `Bearer ${text}`),
          fc.string({ maxLength: 80 }),
          fc
            .tuple(fc.base64String(), fc.base64String(), fc.base64String())
            .map((parts) => `Bearer ${parts.map((part) => part.replace(/=/g, '')).join('.')}`),
        ),
        fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
        async ([method, template], authorization, clientId) => {
          const path = template.replace('PARAM', 'x');
          const headers: Record<string, string> = { Authorization: authorization.replace(/[\r\n]/g, ' ') };
          if (clientId !== undefined) headers['X-Client-ID'] = clientId.replace(/[\r\n]/g, ' ');
          const reply = await rawRequest(
            port,
            headFor(method, path, headers, method === 'GET' ? '' : '{}'),
            method === 'GET' ? '' : '{}',
          );
          expectNeverServerError(reply, `${method} ${path} with ${authorization}`);
          // Node itself answers 400 to header bytes it cannot parse; everything it passes on is a 401.
          expect([400, 401]).toContain(reply.status);
          if (reply.status === 400) expect(reply.json).toBeUndefined();
        },
      ),
      { numRuns: FUZZ_RUNS, seed: 1415 },
    );
  }, 60_000);
});
