// The server is the HTTP adapter over `@agent-tool-protocol/engine`. Everything users imported from here
// before the engine had its own package is still exported, so existing imports keep working.
export {
  ATPEngine,
  ATTR,
  AtpEngine,
  createEngine,
  createSystemMemoryStore,
  createUserMemoryCache,
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
  type QuotasConfig,
  type QuotasConfigInput,
  QuotasConfigSchema,
  REDACTED_PATHS,
  SPAN,
  type StreamListeners,
  type SystemStoreBudgets,
  type Telemetry,
  type TokenUsage,
  TYPECHECK_FAILED,
  TypecheckGate,
  type TypecheckOutcome,
  tracingFetch,
} from '@agent-tool-protocol/engine';
// What the original ATP server exported besides the server itself: the OpenAPI loader and the built-in
// security policies (from their own packages here), the group and config types, and unit constants.
export { type LoadOpenAPIOptions, loadOpenAPI } from '@agent-tool-protocol/openapi';
export {
  type APIGroup,
  type APIGroupConfig,
  type AuthConfig,
  type CustomFunctionDef,
  type OAuthAPIGroup,
  type OAuthCallContext,
  type PlannedEffect,
  type PlanRecord,
  type PlanResult,
  type PlanStatus,
  ProvenanceMode,
  type TypecheckMode,
} from '@agent-tool-protocol/protocol';
export {
  blockLLMRecipients,
  definePolicy,
  type PolicyContext,
  type PolicyDecision,
  preventDataExfiltration,
  requireUserOrigin,
  type SecurityPolicy,
} from '@agent-tool-protocol/provenance';
export {
  parseServerConfig,
  type ResolvedServerConfig,
  type ServerConfig,
  type ServerConfigInput,
  ServerConfigSchema,
} from './config.js';
export type { Middleware, MiddlewareContext, RequestContext } from './http/middleware.js';
export { type InspectorModule, importInspector } from './inspector.js';
export type { OtelOptions } from './otel/otel-telemetry.js';
export type { UseArgument } from './pending-groups.js';
export { AgentToolProtocolServer, createServer } from './server.js';
export { DAY, GB, HOUR, KB, MB, MINUTE, SECOND } from './units.js';
