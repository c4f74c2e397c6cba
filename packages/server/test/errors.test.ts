import { createServer } from '@agent-tool-protocol/server';
import { startServer } from './support/http';

type Harness = Awaited<ReturnType<typeof startServer>>;

describe('bad input gets a clear 4xx, never a 500', () => {
  let h: Harness;
  let headers: Record<string, string>;
  beforeAll(async () => {
    h = await startServer({ http: { bodyLimit: 64 * 1024 } });
    headers = (await h.init()).headers;
  });
  afterAll(() => h.close());

  it('malformed JSON → 400 INVALID_JSON', async () => {
    const response = await h.call('POST', '/api/execute', { raw: '{"code": ', headers });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: 'The request body is not valid JSON.', code: 'INVALID_JSON' });
  });

  it('an oversized body → 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await h.call('POST', '/api/execute', {
      body: { code: `return "${'x'.repeat(100 * 1024)}"` },
      headers,
    });
    expect(response.status).toBe(413);
    expect(response.json.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a missing or mistyped field → 400 naming the field', async () => {
    const missing = await h.call('POST', '/api/execute', { body: {}, headers });
    expect(missing.status).toBe(400);
    expect(missing.json.code).toBe('VALIDATION_ERROR');
    expect(missing.json.error).toMatch(/code/);
    expect(missing.json.details.issues[0].path).toBe('code');
    const typed = await h.call('POST', '/api/execute', {
      body: { code: 'return 1', config: { timeout: 'soon' } },
      headers,
    });
    expect(typed.status).toBe(400);
    expect(typed.json.error).toContain('config.timeout');
    const search = await h.call('POST', '/api/search', { body: { query: 5 }, headers });
    expect(search.status).toBe(400);
    expect(search.json.error).toContain('query');
    const explore = await h.call('POST', '/api/explore', { body: { path: 'no-slash' }, headers });
    expect(explore.status).toBe(400);
    const resume = await h.call('POST', '/api/resume/abc', { body: { nothing: true }, headers });
    expect(resume.status).toBe(400);
  });

  it('a JSON body that is not an object → 400', async () => {
    for (const raw of ['42', '"text"', 'null', '[]']) {
      const response = await h.call('POST', '/api/execute', { raw, headers });
      expect(response.status).toBe(400);
      expect(response.json.code).toBe('VALIDATION_ERROR');
    }
  });

  it('unknown routes → 404 JSON', async () => {
    const response = await h.call('GET', '/api/nope', { headers });
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ error: 'No route for GET /api/nope.', code: 'NOT_FOUND' });
    expect((await h.call('DELETE', '/whatever')).status).toBe(404);
  });

  it('unknown explore paths, executions and API groups → 404', async () => {
    const explore = await h.call('POST', '/api/explore', { body: { path: '/custom/nothing-here' }, headers });
    expect(explore.status).toBe(404);
    expect(explore.json.error).toContain('/custom/nothing-here');
    const resume = await h.call('POST', '/api/resume/exec_missing', { body: { result: 1 }, headers });
    expect(resume.status).toBe(404);
    expect(resume.json.code).toBe('EXECUTION_NOT_FOUND');
    const definitions = await h.call('GET', '/api/definitions?apiGroups=tickets,ghosts', { headers });
    expect(definitions.status).toBe(404);
    expect(definitions.json.error).toContain('ghosts');
  });

  it('unknown runtime APIs → 400', async () => {
    const response = await h.call('GET', '/api/runtime?apis=llm,teleport', { headers });
    expect(response.status).toBe(400);
    expect(response.json.error).toContain('teleport');
  });

  it('a callback id that is not pending → 400 naming it', async () => {
    const a = await h.init({ services: { hasLLM: true } });
    const paused = await h.call('POST', '/api/execute', {
      body: { code: 'return await atp.llm.call("q")' },
      headers: a.headers,
    });
    expect(paused.json.status).toBe('paused');
    const wrong = await h.call('POST', `/api/resume/${paused.json.executionId}`, {
      body: { results: [{ id: 'cb_nope', result: 'x' }] },
      headers: a.headers,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toContain('cb_nope');
    const right = await h.call('POST', `/api/resume/${paused.json.executionId}`, {
      body: { results: [{ id: paused.json.needsCallback.id, result: 'fine' }] },
      headers: a.headers,
    });
    expect(right.json).toMatchObject({ status: 'completed', result: 'fine' });
  });

  it('over the concurrent-execution limit → 429 with Retry-After', async () => {
    const limited = await startServer({ execution: { maxConcurrentPerClient: 1 } });
    try {
      const a = await limited.init();
      const slow = limited.call('POST', '/api/execute', {
        body: { code: 'await api.tickets.wait({ ms: 400 }); return 1' },
        headers: a.headers,
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const rejected = await limited.call('POST', '/api/execute', {
        body: { code: 'return 2' },
        headers: a.headers,
      });
      expect(rejected.status).toBe(429);
      expect(rejected.headers.get('retry-after')).toBe('1');
      expect(rejected.json.code).toBe('TOO_MANY_EXECUTIONS');
      expect((await slow).json).toMatchObject({ status: 'completed', result: 1 });
    } finally {
      await limited.close();
    }
  });

  it('bad server config throws naming the field', () => {
    expect(() => createServer({ execution: { timeout: -1 } } as never)).toThrow(/execution\.timeout/);
    expect(() => createServer({ auth: { jwtSecret: 'short' } })).toThrow(/auth\.jwtSecret/);
    expect(() => createServer({ clientInit: { tokenTTL: 'long' } } as never)).toThrow(/clientInit\.tokenTTL/);
  });
});
