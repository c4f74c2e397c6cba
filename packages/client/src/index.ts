export {
  AgentToolProtocolClient,
  type AgentToolProtocolClientOptions,
  type SearchOptions,
} from './client.js';
export { ATPClientError } from './errors.js';
export type { ApprovalHandler, ClientTool, EmbeddingProvider, LLMProvider } from './providers.js';
