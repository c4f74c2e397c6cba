import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import type { AuditEvent } from '@agent-tool-protocol/protocol';
import { startServer } from './support/http';

type Harness = Awaited<ReturnType<typeof startServer>>;

describe('token and cost accounting', () => {
  let h: Harness;
  const audit: AuditEvent[] = [];

  beforeAll(async () => {
    h = await startServer({
      audit: { enabled: true, sinks: [{ name: 'memory', write: (event) => void audit.push(event) }] },
    });
  });
  afterAll(() => h.close());

  const ended = (executionId: string) =>
    audit.find(
      (event) =>
        (event.type === 'execution_complete' || event.type === 'execution_fail') &&
        event.executionId === executionId,
    );

  it('attaches to no SDK at all when otel is disabled and nothing is registered', () => {
    expect(h.server.engine.observability.telemetry.mode).toBe('global');
  });

  it('sums the usage an LLM provider reports across batched and sequential callbacks', async () => {
    const client = new AgentToolProtocolClient({ baseUrl: h.url }).provideLLM({
      call: async (prompt) => ({
        text: `<${prompt}>`,
        usage: { inputTokens: prompt.length * 10, outputTokens: 2 },
      }),
    });
    await client.init();
    const result = await client.execute(`
      const many = await Promise.all(['a', 'bb', 'ccc'].map((word) => atp.llm.call(word)));
      const last = await atp.llm.call('dddd');
      const open = await api.tickets.list({ status: 'open' });
      return [...many, last, open.length];
    `);
    expect(result.result).toEqual(['<a>', '<bb>', '<ccc>', '<dddd>', 20]);
    expect(result.stats).toMatchObject({
      llmCallsCount: 4,
      toolCallsCount: 1,
      inputTokens: 100,
      outputTokens: 8,
    });
    expect(result.stats.bytesReturned).toBeGreaterThan(Buffer.byteLength(JSON.stringify(result.result)));
    expect(ended(result.executionId)).toMatchObject({
      type: 'execution_complete',
      status: 'completed',
      toolCallsCount: 1,
      llmCallsCount: 4,
      inputTokens: 100,
      outputTokens: 8,
      bytesReturned: result.stats.bytesReturned,
      pauses: 2,
    });
  });

  it('passes usage through classify answered by call, and counts zero for plain strings', async () => {
    const client = new AgentToolProtocolClient({ baseUrl: h.url }).provideLLM({
      call: async (prompt) =>
        prompt.startsWith('Classify')
          ? { text: 'Positive', usage: { inputTokens: 30, outputTokens: 1 } }
          : 'plain',
    });
    await client.init();
    const result = await client.execute(`
      const label = await atp.llm.classify('great product', ['positive', 'negative']);
      const plain = await atp.llm.call('hello');
      return [label, plain];
    `);
    expect(result).toMatchObject({ status: 'completed', result: ['positive', 'plain'] });
    expect(result.stats).toMatchObject({ inputTokens: 30, outputTokens: 1 });
  });

  it('accepts usage on the wire next to `result` and accumulates bytes returned per response', async () => {
    const { headers } = await h.init({ services: { hasLLM: true } });
    const paused = await h.call('POST', '/api/execute', {
      body: {
        code: `const a = await atp.llm.call('one'); const b = await atp.llm.call('two'); return a + b;`,
      },
      headers,
    });
    expect(paused.json.status).toBe('paused');
    const firstBytes = paused.json.stats.bytesReturned as number;
    expect(firstBytes).toBeGreaterThan(0);
    const id = paused.json.executionId as string;
    const second = await h.call('POST', `/api/resume/${id}`, {
      body: { result: 'A', usage: { inputTokens: 5, outputTokens: 1 } },
      headers,
    });
    expect(second.json.status).toBe('paused');
    expect(second.json.stats).toMatchObject({ inputTokens: 5, outputTokens: 1 });
    const callbackId = second.json.needsCallback.id as string;
    const done = await h.call('POST', `/api/resume/${id}`, {
      body: { results: [{ id: callbackId, result: 'B', usage: { outputTokens: 6 } }] },
      headers,
    });
    expect(done.json).toMatchObject({ status: 'completed', result: 'AB' });
    expect(done.json.stats).toMatchObject({ inputTokens: 5, outputTokens: 7, llmCallsCount: 2 });
    expect(done.json.stats.bytesReturned).toBeGreaterThan(second.json.stats.bytesReturned);
    expect(second.json.stats.bytesReturned).toBeGreaterThan(firstBytes);
  });

  it('rejects malformed usage with a 400 naming the field and leaves the execution paused', async () => {
    const { headers } = await h.init({ services: { hasLLM: true } });
    const paused = await h.call('POST', '/api/execute', {
      body: { code: `return await atp.llm.call('x')` },
      headers,
    });
    const id = paused.json.executionId as string;
    const bad = await h.call('POST', `/api/resume/${id}`, {
      body: { result: 'y', usage: { inputTokens: -3 } },
      headers,
    });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('VALIDATION_ERROR');
    expect(bad.json.error).toContain('usage.inputTokens');
    const good = await h.call('POST', `/api/resume/${id}`, { body: { result: 'y' }, headers });
    expect(good.json).toMatchObject({ status: 'completed', result: 'y' });
    expect(good.json.stats).toMatchObject({ inputTokens: 0, outputTokens: 0 });
  });

  it('audits a paused execution cancelled by its client with what it cost so far', async () => {
    const { headers } = await h.init({ services: { hasLLM: true } });
    const paused = await h.call('POST', '/api/execute', {
      body: { code: `await atp.llm.call('one'); await atp.llm.call('two'); return 1` },
      headers,
    });
    const id = paused.json.executionId as string;
    const again = await h.call('POST', `/api/resume/${id}`, {
      body: { result: 'A', usage: { inputTokens: 9, outputTokens: 9 } },
      headers,
    });
    expect(again.json.status).toBe('paused');
    const cancelled = await h.call('POST', `/api/cancel/${id}`, { body: {}, headers });
    expect(cancelled.status).toBe(200);
    expect(ended(id)).toMatchObject({
      type: 'execution_fail',
      status: 'cancelled',
      inputTokens: 9,
      outputTokens: 9,
      pauses: 2,
      bytesReturned: again.json.stats.bytesReturned,
    });
  });
});
