import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { startServer } from './support/http';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver';

describe('attaching to an OpenTelemetry SDK the host started', () => {
  let receiver: OtlpReceiver;
  let tracerProvider: TracerProvider;
  let meterProvider: MeterProvider;
  let contextManager: AsyncLocalStorageContextManager;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    // What a host application's own OpenTelemetry setup does.
    const resource = resourceFromAttributes({ 'service.name': 'host-app' });
    tracerProvider = new TracerProvider({
      resource,
      spanProcessors: [
        new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: receiver.traceEndpoint }) }),
      ],
    });
    meterProvider = new MeterProvider({
      resource,
      readers: [
        new PeriodicExportingMetricReader({
          exporter: new OTLPMetricExporter({ url: receiver.metricsEndpoint }),
          exportIntervalMillis: 60_000,
        }),
      ],
    });
    contextManager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(contextManager);
    trace.setGlobalTracerProvider(tracerProvider);
    metrics.setGlobalMeterProvider(meterProvider);
  });

  afterAll(async () => {
    await tracerProvider.shutdown();
    await meterProvider.shutdown();
    trace.disable();
    metrics.disable();
    context.disable();
    await receiver.close();
  });

  it('records into the host’s providers when otel.enabled is false, and leaves them running', async () => {
    const h = await startServer({ otel: { enabled: false } });
    try {
      expect(h.server.engine.observability.telemetry.mode).toBe('global');
      const client = new AgentToolProtocolClient({ baseUrl: h.url });
      await client.init();
      const result = await client.execute(`return (await api.tickets.get({ id: 'T-3' })).title`);
      expect(result).toMatchObject({ status: 'completed', result: 'Ticket number 3' });
    } finally {
      await h.close();
    }
    // The server's shutdown does not stop the host's SDK: it still exports.
    await tracerProvider.forceFlush();
    await meterProvider.forceFlush();
    const execution = receiver.spans.find((span) => span.name === 'atp.execution');
    expect(execution?.resource['service.name']).toBe('host-app');
    const tool = receiver.spans.find((span) => span.name === 'atp.tool_call');
    expect(tool).toMatchObject({
      traceId: execution!.traceId,
      parentSpanId: execution!.spanId,
      attributes: expect.objectContaining({ 'atp.tool.group': 'tickets', 'atp.tool.function': 'get' }),
    });
    const request = receiver.spans.find((span) => span.spanId === execution!.parentSpanId);
    expect(request?.name).toBe('POST /api/execute');
    expect(receiver.latest('atp.executions', { 'atp.execution.status': 'completed' })?.value).toBe(1);
  });
});
