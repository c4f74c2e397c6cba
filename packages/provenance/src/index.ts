export { ProvenanceMode } from '@agent-tool-protocol/protocol';
export { HELPERS, PRELUDE_SOURCE } from './ast/prelude.js';
export { InstrumentationError, instrumentCode } from './ast/transform.js';
export { declarativePolicy } from './controls/declarative.js';
export { RateLimiter } from './controls/rate-limits.js';
export type { DeclarativePolicy, RateLimitRule, Rules, RulesInput, RulesLogger } from './controls/rules.js';
export { loadRulesFile, parseRules, parseRulesText, RulesSchema, RulesSource } from './controls/rules.js';
export { compileGlob, GlobList, toolName } from './glob.js';
export type { SecurityHooks, SecurityLogger, SecurityOptions } from './hooks.js';
export { createSecurityHooks, toPolicy } from './hooks.js';
export type { InputProvenance, LabelledLeaf, Readers, ReadersConfig, Source } from './labels.js';
export { coveredBy, describeReaders, parseSandboxLabels, ReadersMap, USER } from './labels.js';
export {
  approvalReason,
  effectKey,
  isSideEffect,
  operationOf,
  type UnknownOperationsPolicy,
} from './plans/effects.js';
export {
  type PlanBinding,
  type PlanEnforcer,
  withPlanDispatcher,
  withPlanHooks,
} from './plans/plan-hooks.js';
export { synthesizeFromSchema } from './plans/synthesize.js';
export type { ExfiltrationOptions, LLMRecipientOptions, UserOriginOptions } from './policies/builtins.js';
export {
  blockLLMRecipients,
  DEFAULT_RECIPIENT_PARAMS,
  definePolicy,
  isPolicyFactory,
  preventDataExfiltration,
  requireUserOrigin,
} from './policies/builtins.js';
export { createPolicyContext } from './policies/context.js';
export type {
  PolicyContext,
  PolicyDecision,
  PolicyFunction,
  PolicyInput,
  SecurityPolicy,
} from './policies/types.js';
export { ProxyRegistry } from './proxy-registry.js';
