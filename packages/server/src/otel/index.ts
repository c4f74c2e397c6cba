// `@agent-tool-protocol/server/otel`: the OpenTelemetry SDK (OTLP exporters), opt-in. Nothing else in
// the ATP packages imports an SDK; the engine records through `@opentelemetry/api` alone.
export { createOtelTelemetry, type OtelOptions } from './otel-telemetry.js';
