export {
  AgentToolProtocolClient,
  type AgentToolProtocolClientOptions,
  createClient,
  type SearchOptions,
} from './client.js';
export { ATPClientError } from './errors.js';
export type { PlannedEffect, PlanOptions, PlanRecord, PlanResult } from './plans.js';
export type {
  ApprovalHandler,
  CallbackAnswer,
  ClientLLMProvider,
  ClientTool,
  EmbeddingProvider,
  LLMAnswer,
  LLMProvider,
  TokenUsage,
} from './providers.js';
