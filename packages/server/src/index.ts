export { ProvenanceMode } from '@agent-tool-protocol/protocol';
export {
  parseServerConfig,
  type ServerConfig,
  type ServerConfigInput,
  ServerConfigSchema,
} from './config.js';
export { AtpEngine, createEngine, type StreamListeners } from './engine.js';
export type { Middleware, MiddlewareContext } from './http/middleware.js';
export { REDACTED_PATHS } from './logger.js';
export { type TokenUsage, usageFromResumeBody } from './observability/accounting.js';
export type { ExecutionAccounting } from './observability/execution-observer.js';
export { ExecutionObserver } from './observability/execution-observer.js';
export { routeOf } from './observability/http-tracing.js';
export { ATTR, METRIC, SPAN } from './observability/names.js';
export type { OtelOptions, Telemetry } from './observability/telemetry.js';
export { tracingFetch } from './observability/tracing-fetch.js';
export { AgentToolProtocolServer, createServer } from './server.js';
