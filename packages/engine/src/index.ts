export type { PlanBinding } from '@agent-tool-protocol/provenance';
export type { OAuthCredentials } from '@agent-tool-protocol/providers';
export type { ExecutionAccounting, TokenUsage } from './accounting/cost-account.js';
export type { TokenClaims } from './clients/token-service.js';
export { type CatalogSettings, CatalogSettingsSchema } from './config/catalog-settings.js';
export {
  type EngineConfig,
  type EngineConfigInput,
  EngineConfigSchema,
  parseEngineConfig,
} from './config/engine-config.js';
export { ExecutionSettingsSchema, type ServerApprover } from './config/execution-settings.js';
export { AtpEngine } from './deprecated.js';
export { ATPEngine, createEngine } from './engine.js';
export type { StreamListeners } from './executions/execution-service.js';
export { ExecutionHistory, type ExecutionHistoryOptions } from './history/execution-history.js';
export { REDACTED_PATHS } from './logger.js';
export { type OAuthConfig, type OAuthConfigInput, OAuthConfigSchema } from './oauth/oauth-config.js';
export { assertOAuthGroupUsable, type OAuthGroupSettings } from './oauth/oauth-groups.js';
export { OAuthService, type OAuthServiceOptions } from './oauth/oauth-service.js';
export { PlanService, type PlanServiceOptions } from './plans/plan-service.js';
export {
  type PlanStub,
  type PlansConfig,
  type PlansConfigInput,
  PlansConfigSchema,
} from './plans/plans-config.js';
export {
  type QuotasConfig,
  type QuotasConfigInput,
  QuotasConfigSchema,
} from './quotas/quotas-config.js';
export {
  createSystemMemoryStore,
  createUserMemoryCache,
  DEFAULT_SYSTEM_STORE_BUDGETS,
  DEFAULT_USER_CACHE_BYTES,
  type SystemStoreBudgets,
} from './storage/memory-stores.js';
export { type CacheNamespace, NamespacedCache } from './storage/namespaced-cache.js';
export { ExecutionObserver, type ExecutionObserverOptions } from './telemetry/execution-observer.js';
export type { GaugeSources, Instruments } from './telemetry/instruments.js';
export { ATTR, INSTRUMENTATION_SCOPE, METRIC, SPAN } from './telemetry/names.js';
export { globalTelemetry, type Telemetry } from './telemetry/telemetry.js';
export { tracingFetch } from './telemetry/tracing-fetch.js';
export { extractTraceContext, injectTraceContext } from './telemetry/w3c.js';
export { TYPECHECK_FAILED, TypecheckGate, type TypecheckOutcome } from './typecheck/typecheck-gate.js';
export { ENGINE_VERSION } from './version.js';
