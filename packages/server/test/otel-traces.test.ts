import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { MemoryCache } from '@agent-tool-protocol/protocol';
import { tracingFetch } from '@agent-tool-protocol/server';
import { createOtelTelemetry } from '@agent-tool-protocol/server/otel';
import { startServer } from './support/http';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './support/otlp-receiver';

type Harness = Awaited<ReturnType<typeof startServer>>;

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN_ID = '00f067aa0ba902b7';

/** A small upstream API that remembers the headers of every request. */
async function startUpstream() {
  const seen: IncomingHttpHeaders[] = [];
  const server = createHttpServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ temperature: 21 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('OpenTelemetry traces exported over OTLP/HTTP', () => {
  let receiver: OtlpReceiver;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let h: Harness;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    upstream = await startUpstream();
    // The opt-in SDK entry; otel-metrics.test.ts covers `otel.enabled`, which loads the same entry.
    h = await startServer({
      telemetry: createOtelTelemetry({
        serviceName: 'atp-otel-test',
        traceEndpoint: receiver.traceEndpoint,
        metricsEndpoint: receiver.metricsEndpoint,
      }),
    });
    const fetchWithTrace = tracingFetch();
    h.server.addAPIGroup({
      name: 'weather',
      type: 'custom',
      functions: [
        {
          name: 'current',
          description: 'Current weather for a city (calls an upstream HTTP API)',
          inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          handler: async () => (await fetchWithTrace(`${upstream.url}/weather`)).json(),
        },
      ],
    });
  });

  afterAll(async () => {
    await h.close();
    await upstream.close();
    await receiver.close();
  });

  const byName = (name: string) => receiver.spans.filter((span) => span.name === name);
  const spanWith = (name: string, attribute: string, value: unknown): ReceivedSpan | undefined =>
    receiver.spans.find((span) => span.name === name && span.attributes[attribute] === value);

  it('exports request, execution, tool call and round-trip spans in the caller’s trace', async () => {
    const client = new AgentToolProtocolClient({
      baseUrl: h.url,
      headers: { traceparent: `00-${TRACE_ID}-${CLIENT_SPAN_ID}-01` },
    }).provideLLM({
      call: async (prompt) => ({ text: `ok:${prompt}`, usage: { inputTokens: 12, outputTokens: 3 } }),
    });
    await client.init();
    const result = await client.execute(`
      const open = await api.tickets.list({ status: 'open' });
      const summary = await atp.llm.call('summarise ' + open.length);
      return { count: open.length, summary };
    `);
    expect(result.status).toBe('completed');
    expect(result.stats).toMatchObject({
      toolCallsCount: 1,
      llmCallsCount: 1,
      inputTokens: 12,
      outputTokens: 3,
    });
    await h.server.engine.observability.flush();

    const execution = spanWith('atp.execution', 'atp.execution.id', result.executionId);
    expect(execution).toBeDefined();
    expect(execution!.resource['service.name']).toBe('atp-otel-test');
    expect(execution!.traceId).toBe(TRACE_ID);
    expect(execution!.attributes).toMatchObject({
      'atp.execution.status': 'completed',
      'atp.execution.tool_calls': 1,
      'atp.execution.llm_calls': 1,
      'atp.execution.pauses': 1,
      'atp.execution.input_tokens': 12,
      'atp.execution.output_tokens': 3,
      'atp.execution.bytes_returned': result.stats.bytesReturned,
    });
    expect(execution!.statusCode).toBe(1); // OK

    const executeRequest = receiver.spans.find((span) => span.spanId === execution!.parentSpanId);
    expect(executeRequest).toMatchObject({
      name: 'POST /api/execute',
      kind: 2, // SERVER
      traceId: TRACE_ID,
      parentSpanId: CLIENT_SPAN_ID,
      attributes: expect.objectContaining({ 'http.route': '/api/execute', 'http.response.status_code': 200 }),
    });

    const tool = byName('atp.tool_call').find((span) => span.parentSpanId === execution!.spanId);
    expect(tool?.attributes).toMatchObject({
      'atp.tool.group': 'tickets',
      'atp.tool.function': 'list',
      'atp.tool.path': 'api.tickets.list',
      'atp.tool.status': 'ok',
      'atp.tool.bytes_in': Buffer.byteLength(JSON.stringify({ status: 'open' })),
    });
    expect(tool!.attributes['atp.tool.bytes_out']).toBeGreaterThan(500);
    // Never argument values: nothing on the span mentions the input.
    expect(JSON.stringify(tool!.attributes)).not.toContain('open');

    const roundTrip = byName('atp.callback.round_trip').find(
      (span) => span.parentSpanId === execution!.spanId,
    );
    expect(roundTrip?.attributes).toMatchObject({
      'atp.callback.count': 1,
      'atp.callback.types': ['llm.call'],
      'atp.resume.mode': 'hot',
    });
    const resumeRequest = byName('POST /api/resume/:executionId').find((span) => span.traceId === TRACE_ID);
    expect(resumeRequest?.attributes['url.path']).toBe(`/api/resume/${result.executionId}`);
    expect(roundTrip!.links).toEqual([{ traceId: TRACE_ID, spanId: resumeRequest!.spanId }]);
    expect(execution!.startMs).toBeLessThanOrEqual(roundTrip!.startMs);
    expect(execution!.endMs).toBeGreaterThanOrEqual(roundTrip!.endMs);
  });

  it('propagates trace context into upstream calls made with tracingFetch', async () => {
    const client = new AgentToolProtocolClient({ baseUrl: h.url });
    await client.init();
    const result = await client.execute(`return await api.weather.current({ city: 'Oslo' });`);
    expect(result).toMatchObject({ status: 'completed', result: { temperature: 21 } });
    await h.server.engine.observability.flush();
    const execution = spanWith('atp.execution', 'atp.execution.id', result.executionId)!;
    const tool = byName('atp.tool_call').find((span) => span.parentSpanId === execution.spanId)!;
    expect(tool.attributes['atp.tool.group']).toBe('weather');
    const traceparent = upstream.seen.at(-1)?.traceparent;
    expect(traceparent).toBe(`00-${execution.traceId}-${tool.spanId}-01`);
  });

  it('marks failed tool calls and failed executions without recording messages', async () => {
    const client = new AgentToolProtocolClient({ baseUrl: h.url });
    await client.init();
    const result = await client.execute(`await api.tickets.get({ id: 'T-secret-404' }); return 1;`);
    expect(result.status).toBe('failed');
    await h.server.engine.observability.flush();
    const execution = spanWith('atp.execution', 'atp.execution.id', result.executionId)!;
    expect(execution.attributes['atp.execution.status']).toBe('failed');
    expect(execution.statusCode).toBe(2); // ERROR
    const tool = byName('atp.tool_call').find((span) => span.parentSpanId === execution.spanId)!;
    expect(tool.attributes).toMatchObject({ 'atp.tool.status': 'error', 'error.type': 'NOT_FOUND' });
    expect(tool.statusCode).toBe(2);
    expect(JSON.stringify(tool)).not.toContain('T-secret-404');
  });

  it('continues the trace when another instance resumes the execution (durable)', async () => {
    const shared = new MemoryCache();
    const telemetry = () =>
      createOtelTelemetry({
        traceEndpoint: receiver.traceEndpoint,
        metricsEndpoint: receiver.metricsEndpoint,
      });
    const first = await startServer({ telemetry: telemetry(), cache: shared });
    const second = await startServer({ telemetry: telemetry(), cache: shared });
    try {
      const { headers } = await first.init({ services: { hasLLM: true } });
      const pausedTrace = 'aaaabbbbccccddddeeeeffff00001111';
      const paused = await first.call('POST', '/api/execute', {
        body: { code: `const a = await atp.llm.call('one'); return a + '!';` },
        headers: { ...headers, traceparent: `00-${pausedTrace}-${CLIENT_SPAN_ID}-01` },
      });
      expect(paused.json.status).toBe('paused');
      const executionId = paused.json.executionId as string;
      const resumed = await second.call('POST', `/api/resume/${executionId}`, {
        body: { result: 'two', usage: { inputTokens: 7, outputTokens: 2 } },
        headers,
      });
      expect(resumed.json).toMatchObject({ status: 'completed', result: 'two!' });
      expect(resumed.json.stats).toMatchObject({ inputTokens: 7, outputTokens: 2, llmCallsCount: 1 });
      expect(resumed.json.stats.bytesReturned).toBeGreaterThan(Buffer.byteLength(paused.text) - 200);
      await first.server.engine.observability.flush();
      await second.server.engine.observability.flush();
      const executionSpans = receiver.spans.filter(
        (span) => span.name === 'atp.execution' && span.attributes['atp.execution.id'] === executionId,
      );
      // The first instance keeps the original span open until the pause expires or it shuts down.
      expect(executionSpans).toHaveLength(1);
      const continued = executionSpans[0]!;
      expect(continued).toMatchObject({
        traceId: pausedTrace,
        attributes: expect.objectContaining({
          'atp.execution.continued': true,
          'atp.execution.status': 'completed',
        }),
      });
      const resumeRequest = byName('POST /api/resume/:executionId').find(
        (span) => span.attributes['url.path'] === `/api/resume/${executionId}`,
      )!;
      expect(resumeRequest.traceId).not.toBe(pausedTrace);
      expect(continued.links).toEqual([{ traceId: resumeRequest.traceId, spanId: resumeRequest.spanId }]);
      const roundTrip = byName('atp.callback.round_trip').find(
        (span) => span.parentSpanId === continued!.spanId,
      );
      expect(roundTrip?.attributes['atp.resume.mode']).toBe('durable');
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('exports what is left, including still-paused executions, when the server shuts down', async () => {
    const own = await startServer({
      otel: {
        enabled: true,
        traceEndpoint: receiver.traceEndpoint,
        metricsEndpoint: receiver.metricsEndpoint,
      },
    });
    const { headers } = await own.init({ services: { hasLLM: true } });
    const paused = await own.call('POST', '/api/execute', {
      body: { code: `return await atp.llm.call('x')` },
      headers,
    });
    expect(paused.json.status).toBe('paused');
    await own.close();
    const execution = spanWith('atp.execution', 'atp.execution.id', paused.json.executionId);
    expect(execution?.attributes).toMatchObject({
      'atp.execution.status': 'paused',
      'atp.execution.pauses': 1,
      'atp.execution.span_closed': 'shutdown',
    });
    const roundTrip = byName('atp.callback.round_trip').find(
      (span) => span.parentSpanId === execution!.spanId,
    );
    expect(roundTrip?.attributes['atp.callback.unanswered']).toBe('shutdown');
  });
});
