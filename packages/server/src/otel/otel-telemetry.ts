import { ENGINE_VERSION, INSTRUMENTATION_SCOPE, type Telemetry } from '@agent-tool-protocol/engine';
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

export interface OtelOptions {
  /** `service.name` of the resource. Default `atp-server`. */
  serviceName?: string | undefined;
  /** `service.version` of the resource. Default: the engine's version. */
  serviceVersion?: string | undefined;
  /** OTLP/HTTP trace endpoint; default `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, then `http://localhost:4318/v1/traces`. */
  traceEndpoint?: string | undefined;
  /** OTLP/HTTP metrics endpoint; default `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`, then `http://localhost:4318/v1/metrics`. */
  metricsEndpoint?: string | undefined;
  /** How often metrics are pushed (they are also pushed on flush and shutdown). Default 60,000 ms. */
  metricsIntervalMs?: number | undefined;
}

/**
 * Async context and W3C propagation are process-wide: the first SDK started here registers them when the
 * host has not, and the last one to shut down takes them away again.
 */
let sharedContextUsers = 0;
let registeredContext = false;

function acquireProcessContext(): void {
  sharedContextUsers++;
  if (sharedContextUsers > 1) return;
  registeredContext = context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

function releaseProcessContext(): void {
  sharedContextUsers = Math.max(0, sharedContextUsers - 1);
  if (sharedContextUsers > 0 || !registeredContext) return;
  context.disable();
  propagation.disable();
  registeredContext = false;
}

/**
 * Starts an OpenTelemetry SDK owned by one engine (OTLP/HTTP JSON exporters) and registers it as the
 * global provider when the host registered none. Pass it as `createServer({ telemetry })` or
 * `createEngine({ telemetry })`; `shutdown()` of the server or engine flushes and stops it.
 */
export function createOtelTelemetry(options: OtelOptions = {}): Telemetry {
  const serviceVersion = options.serviceVersion ?? ENGINE_VERSION;
  acquireProcessContext();
  const resource = resourceFromAttributes({
    'service.name': options.serviceName ?? 'atp-server',
    'service.version': serviceVersion,
  });
  const tracerProvider = new TracerProvider({
    resource,
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter(options.traceEndpoint ? { url: options.traceEndpoint } : {}),
      }),
    ],
  });
  const metricReader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter(options.metricsEndpoint ? { url: options.metricsEndpoint } : {}),
    exportIntervalMillis: options.metricsIntervalMs ?? 60_000,
  });
  const meterProvider = new MeterProvider({ resource, readers: [metricReader] });
  const ownsGlobalTracer = trace.setGlobalTracerProvider(tracerProvider);
  const ownsGlobalMeter = metrics.setGlobalMeterProvider(meterProvider);
  let closed = false;
  return {
    tracer: tracerProvider.getTracer(INSTRUMENTATION_SCOPE, serviceVersion),
    meter: meterProvider.getMeter(INSTRUMENTATION_SCOPE, serviceVersion),
    mode: 'sdk',
    flush: async () => {
      await Promise.allSettled([tracerProvider.forceFlush(), meterProvider.forceFlush()]);
    },
    shutdown: async () => {
      if (closed) return;
      closed = true;
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
      if (ownsGlobalTracer) trace.disable();
      if (ownsGlobalMeter) metrics.disable();
      releaseProcessContext();
    },
  };
}
