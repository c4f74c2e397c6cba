import { type Meter, metrics, type Tracer, trace } from '@opentelemetry/api';
import { INSTRUMENTATION_SCOPE } from './names.js';

/** Where the engine's spans and metrics go. */
export interface Telemetry {
  readonly tracer: Tracer;
  readonly meter: Meter;
  /** `sdk`: an SDK owned by this engine (`createOtelTelemetry`); `global`: whatever the host registered. */
  readonly mode: 'sdk' | 'global';
  /** Exports everything buffered now. */
  flush(): Promise<void>;
  /** Called once by `engine.shutdown()`. */
  shutdown(): Promise<void>;
}

/**
 * The global providers of `@opentelemetry/api`: the host's SDK when it started one, no-ops otherwise.
 * Shutting the engine down never stops the host's SDK.
 */
export function globalTelemetry(serviceVersion: string): Telemetry {
  return {
    tracer: trace.getTracer(INSTRUMENTATION_SCOPE, serviceVersion),
    meter: metrics.getMeter(INSTRUMENTATION_SCOPE, serviceVersion),
    mode: 'global',
    flush: async () => undefined,
    shutdown: async () => undefined,
  };
}
