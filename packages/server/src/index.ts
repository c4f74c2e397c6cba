export { ProvenanceMode } from '@agent-tool-protocol/protocol';
export {
  parseServerConfig,
  type ServerConfig,
  type ServerConfigInput,
  ServerConfigSchema,
} from './config.js';
export { AtpEngine, createEngine, type StreamListeners } from './engine.js';
export { ExecutionHistory } from './history.js';
export type { Middleware, MiddlewareContext } from './http/middleware.js';
export { type InspectorModule, importInspector } from './inspector.js';
export { REDACTED_PATHS } from './logger.js';
export { type OAuthConfig, type OAuthConfigInput, OAuthConfigSchema } from './oauth/oauth-config.js';
export { OAuthService, type OAuthServiceOptions } from './oauth/oauth-service.js';
export {
  importProvidersOAuth,
  type OAuthCredentials,
  type OAuthFlowLike,
  type OAuthTokenStoreLike,
  type ProvidersOAuthModule,
} from './oauth/providers-module.js';
export type { TokenUsage } from './observability/accounting.js';
export type { ExecutionAccounting } from './observability/execution-observer.js';
export { ExecutionObserver } from './observability/execution-observer.js';
export { ATTR, METRIC, SPAN } from './observability/names.js';
export type { OtelOptions, Telemetry } from './observability/telemetry.js';
export { tracingFetch } from './observability/tracing-fetch.js';
export { type PlanResult, PlanService, type PlanServiceOptions } from './plans/plan-service.js';
export {
  type PlanBinding,
  type PlannedEffect,
  type PlanRecord,
  type PlanStatus,
  type PlansConfig,
  type PlansConfigInput,
  PlansConfigSchema,
  type TypecheckMode,
} from './plans/plans-config.js';
export { AgentToolProtocolServer, createServer } from './server.js';
export { TYPECHECK_FAILED, TypecheckGate, type TypecheckOutcome } from './typecheck/typecheck-gate.js';
