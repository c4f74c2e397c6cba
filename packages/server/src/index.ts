// The server is the HTTP adapter over `@agent-tool-protocol/engine`. Everything users imported from here
// before the engine had its own package is still exported, so existing imports keep working.
export {
  ATPEngine,
  ATTR,
  AtpEngine,
  createEngine,
  type EngineConfig,
  type EngineConfigInput,
  EngineConfigSchema,
  type ExecutionAccounting,
  ExecutionHistory,
  ExecutionObserver,
  METRIC,
  type OAuthConfig,
  type OAuthConfigInput,
  OAuthConfigSchema,
  type OAuthCredentials,
  OAuthService,
  type OAuthServiceOptions,
  type PlanBinding,
  PlanService,
  type PlanServiceOptions,
  type PlansConfig,
  type PlansConfigInput,
  PlansConfigSchema,
  REDACTED_PATHS,
  SPAN,
  type StreamListeners,
  type Telemetry,
  type TokenUsage,
  TYPECHECK_FAILED,
  TypecheckGate,
  type TypecheckOutcome,
  tracingFetch,
} from '@agent-tool-protocol/engine';
export {
  type PlannedEffect,
  type PlanRecord,
  type PlanResult,
  type PlanStatus,
  ProvenanceMode,
  type TypecheckMode,
} from '@agent-tool-protocol/protocol';
export {
  parseServerConfig,
  type ServerConfig,
  type ServerConfigInput,
  ServerConfigSchema,
} from './config.js';
export type { Middleware, MiddlewareContext } from './http/middleware.js';
export { type InspectorModule, importInspector } from './inspector.js';
export type { OtelOptions } from './otel/otel-telemetry.js';
export { AgentToolProtocolServer, createServer } from './server.js';
