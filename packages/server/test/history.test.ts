import { MemoryCache } from '@agent-tool-protocol/protocol';
import { startServer } from './support/http';

type Harness = Awaited<ReturnType<typeof startServer>>;

describe('GET /api/executions (recent executions and their audit trails)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({ history: { maxExecutions: 3, maxEvents: 6 } });
  });
  afterAll(() => h.close());

  it('lists this client’s executions with status, duration and call counts', async () => {
    const { headers } = await h.init({ services: { hasApproval: true } });
    const done = await h.call('POST', '/api/execute', {
      headers,
      body: { code: `await api.tickets.list({}); await api.tickets.get({ id: 'T-1' }); return 1;` },
    });
    expect(done.json.status).toBe('completed');

    const list = await h.call('GET', '/api/executions', { headers });
    expect(list.status).toBe(200);
    expect(list.json.executions).toHaveLength(1);
    expect(list.json.executions[0]).toMatchObject({
      executionId: done.json.executionId,
      status: 'completed',
      toolCalls: 2,
      llmCalls: 0,
      pauses: 0,
    });
    expect(typeof list.json.executions[0].durationMs).toBe('number');
    expect(list.json.executions[0].bytesReturned).toBeGreaterThan(0);

    const trail = await h.call('GET', `/api/executions/${done.json.executionId}`, { headers });
    expect(trail.status).toBe(200);
    expect(trail.json.events.map((event: { type: string }) => event.type)).toEqual([
      'execution_start',
      'tool_call',
      'tool_call',
      'execution_end',
    ]);
    expect(trail.json.events[1]).toMatchObject({ path: 'api.tickets.list', status: 'ok' });
    expect(trail.json).not.toHaveProperty('clientId');
  });

  it('follows an execution across a pause, an approval and its resume', async () => {
    const { headers } = await h.init({ services: { hasApproval: true } });
    const paused = await h.call('POST', '/api/execute', {
      headers,
      body: {
        code: `const ok = await atp.approval.request('Close T-2?'); if (ok.approved) await api.tickets.close({ id: 'T-2' }); return ok.approved;`,
      },
    });
    expect(paused.json.status).toBe('paused');
    const id = paused.json.executionId as string;

    const whilePaused = await h.call('GET', '/api/executions', { headers });
    expect(whilePaused.json.executions[0]).toMatchObject({ executionId: id, status: 'paused', pauses: 1 });

    const resumed = await h.call('POST', `/api/resume/${id}`, {
      headers,
      body: { result: { approved: true } },
    });
    expect(resumed.json).toMatchObject({ status: 'completed', result: true });

    const trail = await h.call('GET', `/api/executions/${id}`, { headers });
    expect(trail.json).toMatchObject({ status: 'completed', approvals: 1, toolCalls: 1, pauses: 1 });
    const types = trail.json.events.map((event: { type: string }) => event.type);
    expect(types[0]).toBe('execution_start');
    expect(
      trail.json.events.find((event: { type: string }) => event.type === 'approval_decided'),
    ).toMatchObject({ approved: true, via: 'client' });
    expect(types).toContain('execution_resume');
    expect(types.at(-1)).toBe('execution_end');
  });

  it('records a cancelled paused execution', async () => {
    const { headers } = await h.init({ services: { hasLLM: true } });
    const paused = await h.call('POST', '/api/execute', {
      headers,
      body: { code: `return await atp.llm.call('hello');` },
    });
    const id = paused.json.executionId as string;
    expect((await h.call('POST', `/api/cancel/${id}`, { headers, body: {} })).status).toBe(200);
    const trail = await h.call('GET', `/api/executions/${id}`, { headers });
    expect(trail.json).toMatchObject({ status: 'cancelled', llmCalls: 1, pauses: 1 });
    expect(trail.json.events.at(-1)).toMatchObject({ type: 'execution_end', status: 'cancelled' });
  });

  it('keeps the newest maxExecutions and bounds each trail to maxEvents', async () => {
    const { headers } = await h.init();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const run = await h.call('POST', '/api/execute', {
        headers,
        body: { code: `for (let i = 0; i < 8; i++) await api.tickets.list({}); return ${i};` },
      });
      ids.push(run.json.executionId);
    }
    const list = await h.call('GET', '/api/executions', { headers });
    expect(list.json.executions.map((entry: { executionId: string }) => entry.executionId)).toEqual(
      ids.slice(1).reverse(),
    );
    const trail = await h.call('GET', `/api/executions/${ids[3]}`, { headers });
    expect(trail.json.events).toHaveLength(6);
    expect(trail.json.events[0].type).toBe('execution_start');
    expect(trail.json.events.at(-1).type).toBe('execution_end');
    expect(trail.json.droppedEvents).toBe(4);
    expect(trail.json.toolCalls).toBe(8);
  });

  it('hides other clients’ executions (404) and needs a token (401)', async () => {
    const owner = await h.init();
    const other = await h.init();
    const run = await h.call('POST', '/api/execute', { headers: owner.headers, body: { code: 'return 1' } });
    const foreign = await h.call('GET', `/api/executions/${run.json.executionId}`, {
      headers: other.headers,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.json.code).toBe('EXECUTION_NOT_FOUND');
    expect((await h.call('GET', '/api/executions', { headers: other.headers })).json.executions).toEqual([]);
    expect((await h.call('GET', '/api/executions')).status).toBe(401);
  });
});

describe('execution history storage', () => {
  it('lives in the cache provider, so another instance sharing it lists the execution', async () => {
    const cache = new MemoryCache();
    const first = await startServer({ cache });
    const second = await startServer({ cache });
    try {
      const { headers } = await first.init({ services: { hasLLM: true } });
      const paused = await first.call('POST', '/api/execute', {
        headers,
        body: { code: `const a = await atp.llm.call('q'); await api.tickets.list({}); return a;` },
      });
      const id = paused.json.executionId as string;
      const resumed = await second.call('POST', `/api/resume/${id}`, { headers, body: { result: 'A' } });
      expect(resumed.json).toMatchObject({ status: 'completed', result: 'A' });
      const trail = await second.call('GET', `/api/executions/${id}`, { headers });
      expect(trail.json).toMatchObject({ status: 'completed', llmCalls: 1, toolCalls: 1, pauses: 1 });
      expect(trail.json.events[0].type).toBe('execution_start');
      const list = await first.call('GET', '/api/executions', { headers });
      expect(list.json.executions[0]).toMatchObject({ executionId: id, status: 'completed' });
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('is off with history.enabled = false', async () => {
    const h = await startServer({ history: { enabled: false } });
    try {
      const { headers } = await h.init();
      const run = await h.call('POST', '/api/execute', { headers, body: { code: 'return 1' } });
      expect((await h.call('GET', '/api/executions', { headers })).json.executions).toEqual([]);
      expect((await h.call('GET', `/api/executions/${run.json.executionId}`, { headers })).status).toBe(404);
    } finally {
      await h.close();
    }
  });
});
