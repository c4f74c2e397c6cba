export {
  type ApprovalAnswer,
  type ApprovalFromCallbackOptions,
  type ApprovalInterruptValue,
  type ApprovalRequest,
  approvalFromCallback,
  approvalFromInterrupt,
  toApprovalResponse,
} from './approval.js';
export { type ChatModelLLMOptions, llmFromChatModel } from './chat-model-llm.js';
export {
  DEFINITIONS_DESCRIPTION,
  EXECUTE_DESCRIPTION,
  EXPLORE_DESCRIPTION,
  SEARCH_DESCRIPTION,
} from './descriptions.js';
export { embeddingsFromLangChain, type LangChainEmbeddingsOptions } from './embeddings.js';
export { formatExplore, formatSearchResults } from './format-discovery.js';
export { type FormatExecutionOptions, formatExecutionResult } from './format-execution.js';
export { ATP_TOOL_KINDS, type ATPToolKind, type ATPToolsOptions } from './options.js';
export { createATPTools } from './tools.js';
