import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { startServer } from './support/http';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver';

describe('OpenTelemetry metrics exported over OTLP/HTTP', () => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(() => receiver.close());

  const otel = () => ({
    enabled: true,
    serviceName: 'atp-metrics-test',
    traceEndpoint: receiver.traceEndpoint,
    metricsEndpoint: receiver.metricsEndpoint,
  });

  it('counts executions, tool calls, pauses, resumes, tokens and rejected requests', async () => {
    const h = await startServer({
      otel: otel(),
      execution: { isolatePoolSize: 1, maxConcurrentPerClient: 1 },
    });
    try {
      const client = new AgentToolProtocolClient({ baseUrl: h.url }).provideLLM({
        call: async (prompt) => ({ text: prompt.toUpperCase(), usage: { inputTokens: 12, outputTokens: 4 } }),
      });
      await client.init();
      expect((await client.execute(`return (await api.tickets.list({})).length`)).status).toBe('completed');
      const paused = await client.execute(`
        const ticket = await api.tickets.get({ id: 'T-2' });
        return await atp.llm.call(ticket.title);
      `);
      expect(paused).toMatchObject({ status: 'completed', result: 'TICKET NUMBER 2' });
      expect((await client.execute(`await api.tickets.get({ id: 'nope' })`)).status).toBe('failed');

      // 401: a request with a bad token.
      const unauthorized = await h.call('POST', '/api/execute', {
        body: { code: 'return 1' },
        headers: { authorization: 'Bearer not-a-token' },
      });
      expect(unauthorized.status).toBe(401);
      // 429: a second execution while the client's only slot is busy.
      const { headers } = await h.init();
      let entered!: () => void;
      let release!: () => void;
      const inside = new Promise<void>((resolve) => {
        entered = resolve;
      });
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      h.server.addAPIGroup({
        name: 'gate',
        type: 'custom',
        functions: [
          {
            name: 'pass',
            handler: async () => {
              entered();
              await gate;
              return 'passed';
            },
          },
        ],
      });
      const slow = h.call('POST', '/api/execute', {
        body: { code: `return await api.gate.pass({})` },
        headers,
      });
      await inside;
      const rejected = await h.call('POST', '/api/execute', { body: { code: 'return 2' }, headers });
      expect(rejected.status).toBe(429);
      release();
      expect((await slow).json).toMatchObject({ status: 'completed', result: 'passed' });

      await h.server.engine.observability.flush();
      const value = (metric: string, attributes: Record<string, unknown> = {}) =>
        receiver.latest(metric, attributes)?.value;

      expect(value('atp.executions', { 'atp.execution.status': 'completed' })).toBe(3);
      expect(value('atp.executions', { 'atp.execution.status': 'failed' })).toBe(1);
      expect(value('atp.execution.duration', { 'atp.execution.status': 'completed' })).toBe(3);
      expect(receiver.latest('atp.execution.duration')?.kind).toBe('histogram');
      expect(value('atp.tool_calls', { 'atp.tool.group': 'tickets', 'atp.tool.status': 'ok' })).toBe(2);
      expect(value('atp.tool_calls', { 'atp.tool.group': 'gate', 'atp.tool.status': 'ok' })).toBe(1);
      expect(value('atp.tool_calls', { 'atp.tool.group': 'tickets', 'atp.tool.status': 'error' })).toBe(1);
      expect(value('atp.tool_call.duration', { 'atp.tool.group': 'tickets', 'atp.tool.status': 'ok' })).toBe(
        2,
      );
      expect(value('atp.execution.pauses')).toBe(1);
      expect(value('atp.execution.resumes', { 'atp.resume.mode': 'hot' })).toBe(1);
      expect(value('atp.callback.round_trip.duration', { 'atp.resume.mode': 'hot' })).toBe(1);
      expect(value('atp.llm.calls', { 'atp.llm.operation': 'call' })).toBe(1);
      expect(value('atp.llm.tokens', { 'atp.token.type': 'input' })).toBe(12);
      expect(value('atp.llm.tokens', { 'atp.token.type': 'output' })).toBe(4);
      expect(value('atp.http.rejected_requests', { 'http.response.status_code': 401 })).toBe(1);
      expect(value('atp.http.rejected_requests', { 'http.response.status_code': 429 })).toBe(1);
      expect(
        value('http.server.request.duration', {
          'http.route': '/api/execute',
          'http.response.status_code': 200,
        }),
      ).toBeGreaterThanOrEqual(4);
      expect(receiver.latest('atp.executions.active')).toMatchObject({ kind: 'gauge', value: 0 });
      expect(receiver.latest('atp.executions.paused_hot')).toMatchObject({ kind: 'gauge', value: 0 });
      expect(receiver.latest('atp.isolate_pool.size')?.kind).toBe('gauge');
      expect(receiver.latest('atp.isolate_pool.size')!.value).toBeGreaterThanOrEqual(0);
    } finally {
      await h.close();
    }
  });

  it('tells durable resumes from hot ones', async () => {
    const h = await startServer({ otel: otel(), execution: { isolatePoolSize: 1, maxHotPaused: 0 } });
    try {
      const { headers } = await h.init({ services: { hasLLM: true } });
      const paused = await h.call('POST', '/api/execute', {
        body: { code: `const a = await atp.llm.call('x'); return a` },
        headers,
      });
      expect(paused.json.status).toBe('paused');
      const resumed = await h.call('POST', `/api/resume/${paused.json.executionId}`, {
        body: { result: 'y' },
        headers,
      });
      expect(resumed.json).toMatchObject({ status: 'completed', result: 'y' });
      await h.server.engine.observability.flush();
      const durable = receiver.points.filter(
        (point) =>
          point.metric === 'atp.execution.resumes' && point.attributes['atp.resume.mode'] === 'durable',
      );
      expect(durable.at(-1)?.value).toBe(1);
    } finally {
      await h.close();
    }
  });
});
