import { ENGINE_VERSION, type Telemetry } from '@agent-tool-protocol/engine';
import type { ResolvedServerConfig } from '../config.js';
import type { OtelOptions } from './otel-telemetry.js';

/** The opt-in entry holding the OpenTelemetry SDK; the main entry loads it only for `otel.enabled`. */
const OTEL_ENTRY = '@agent-tool-protocol/server/otel';

/**
 * The SDK telemetry `otel.enabled` asks for, from the opt-in entry (loaded only now, so a server without
 * `otel.enabled` never loads an SDK). Undefined when it is off or `telemetry` is given.
 */
export async function telemetryFromConfig(config: ResolvedServerConfig): Promise<Telemetry | undefined> {
  if (!config.otel.enabled || config.telemetry) return undefined;
  const entry = (await import(OTEL_ENTRY)) as {
    createOtelTelemetry(options: OtelOptions): Telemetry;
  };
  return entry.createOtelTelemetry({
    serviceName: config.otel.serviceName,
    serviceVersion: config.version ?? ENGINE_VERSION,
    traceEndpoint: config.otel.traceEndpoint,
    metricsEndpoint: config.otel.metricsEndpoint,
    metricsIntervalMs: config.otel.metricsIntervalMs,
  });
}
