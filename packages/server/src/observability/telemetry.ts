import { context, type Meter, metrics, propagation, type Tracer, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { INSTRUMENTATION_SCOPE } from './names.js';

export interface OtelOptions {
  enabled: boolean;
  serviceName: string;
  traceEndpoint?: string | undefined;
  metricsEndpoint?: string | undefined;
  /** How often metrics are pushed (they are also pushed on flush and shutdown). */
  metricsIntervalMs?: number | undefined;
}

/** Where the server's spans and metrics go. */
export interface Telemetry {
  readonly tracer: Tracer;
  readonly meter: Meter;
  /** `sdk`: the server runs its own OTLP exporters; `global`: it uses whatever the host registered. */
  readonly mode: 'sdk' | 'global';
  /** Exports everything buffered now. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Async context and W3C propagation are process-wide: the first enabled server registers them when the
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
 * `enabled: true` starts an OpenTelemetry SDK owned by this server (OTLP/HTTP JSON exporters), and also
 * registers it as the global provider when the host registered none. `enabled: false` attaches to the
 * global providers from `@opentelemetry/api`: the host's SDK when it started one, no-ops otherwise.
 */
export function startTelemetry(options: OtelOptions, serviceVersion: string): Telemetry {
  if (!options.enabled) {
    return {
      tracer: trace.getTracer(INSTRUMENTATION_SCOPE, serviceVersion),
      meter: metrics.getMeter(INSTRUMENTATION_SCOPE, serviceVersion),
      mode: 'global',
      flush: async () => undefined,
      shutdown: async () => undefined,
    };
  }
  acquireProcessContext();
  const resource = resourceFromAttributes({
    'service.name': options.serviceName,
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
