/** Every status an execution can end (or pause) with. Values are wire strings: add, never rename. */
export const ExecutionStatus = {
  COMPLETED: 'completed',
  FAILED: 'failed',
  TIMEOUT: 'timeout',
  CANCELLED: 'cancelled',
  PAUSED: 'paused',
  MEMORY_EXCEEDED: 'memory_exceeded',
  LLM_CALLS_EXCEEDED: 'llm_calls_exceeded',
  SECURITY_VIOLATION: 'security_violation',
  VALIDATION_FAILED: 'validation_failed',
  RATE_LIMITED: 'rate_limited',
  NETWORK_ERROR: 'network_error',
  LOOP_DETECTED: 'loop_detected',
  PARSE_ERROR: 'parse_error',
  CPU_TIME_EXCEEDED: 'cpu_time_exceeded',
  TOOL_CALLS_EXCEEDED: 'tool_calls_exceeded',
  RESULT_TOO_LARGE: 'result_too_large',
} as const;
export type ExecutionStatus = (typeof ExecutionStatus)[keyof typeof ExecutionStatus];
export const EXECUTION_STATUSES = Object.values(ExecutionStatus) as [ExecutionStatus, ...ExecutionStatus[]];

/** Statuses after which an execution can never continue. */
export function isTerminalStatus(status: ExecutionStatus): boolean {
  return status !== ExecutionStatus.PAUSED;
}

/** Stable machine-readable error codes, carried by `ATPError.code` and HTTP error bodies. */
export const ErrorCode = {
  // request problems (4xx)
  VALIDATION_ERROR: 'VALIDATION_ERROR',
  INVALID_JSON: 'INVALID_JSON',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNAUTHORIZED: 'UNAUTHORIZED',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  EXECUTION_NOT_FOUND: 'EXECUTION_NOT_FOUND',
  CONFLICT: 'CONFLICT',
  RESUME_IN_PROGRESS: 'RESUME_IN_PROGRESS',
  EXECUTION_NOT_PAUSED: 'EXECUTION_NOT_PAUSED',
  RATE_LIMITED: 'RATE_LIMITED',
  TOO_MANY_EXECUTIONS: 'TOO_MANY_EXECUTIONS',
  /** A per-client quota (cache bytes, init payload, paused state, callback payload, logs) would be exceeded. */
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  // execution problems
  PARSE_ERROR: 'PARSE_ERROR',
  RUNTIME_ERROR: 'RUNTIME_ERROR',
  TIMEOUT: 'TIMEOUT',
  CPU_TIME_EXCEEDED: 'CPU_TIME_EXCEEDED',
  MEMORY_EXCEEDED: 'MEMORY_EXCEEDED',
  LLM_CALLS_EXCEEDED: 'LLM_CALLS_EXCEEDED',
  TOOL_CALLS_EXCEEDED: 'TOOL_CALLS_EXCEEDED',
  RESULT_TOO_LARGE: 'RESULT_TOO_LARGE',
  CODE_TOO_LARGE: 'CODE_TOO_LARGE',
  RESULT_NOT_SERIALIZABLE: 'RESULT_NOT_SERIALIZABLE',
  CANCELLED: 'CANCELLED',
  UNKNOWN_FUNCTION: 'UNKNOWN_FUNCTION',
  TOOL_ERROR: 'TOOL_ERROR',
  HTTP_ERROR: 'HTTP_ERROR',
  /** A function's result does not match its declared output schema (`validateOutputs: 'enforce'`). */
  INVALID_OUTPUT: 'INVALID_OUTPUT',
  /** A GraphQL API answered with `errors` (partial `data` may come with them). */
  GRAPHQL_ERROR: 'GRAPHQL_ERROR',
  /**
   * `paginate()` / `all()` could not go on: the function does not page, a response has no list where its
   * `metadata.pagination` says, or the next page cannot be determined.
   */
  PAGINATION_ERROR: 'PAGINATION_ERROR',
  CALLBACK_ERROR: 'CALLBACK_ERROR',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  NONDETERMINISTIC_REPLAY: 'NONDETERMINISTIC_REPLAY',
  SECURITY_VIOLATION: 'SECURITY_VIOLATION',
  APPROVAL_DENIED: 'APPROVAL_DENIED',
  CONFIG_ERROR: 'CONFIG_ERROR',
  PROVIDER_ERROR: 'PROVIDER_ERROR',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Kinds of client callbacks a paused execution can wait for. */
export const CallbackType = {
  LLM: 'llm',
  APPROVAL: 'approval',
  EMBEDDING: 'embedding',
  TOOL: 'tool',
} as const;
export type CallbackType = (typeof CallbackType)[keyof typeof CallbackType];

export const LLMOperation = { CALL: 'call', EXTRACT: 'extract', CLASSIFY: 'classify' } as const;
export type LLMOperation = (typeof LLMOperation)[keyof typeof LLMOperation];

export const ApprovalOperation = { REQUEST: 'request' } as const;
export type ApprovalOperation = (typeof ApprovalOperation)[keyof typeof ApprovalOperation];

export const EmbeddingOperation = { EMBED: 'embed', SEARCH: 'search' } as const;
export type EmbeddingOperation = (typeof EmbeddingOperation)[keyof typeof EmbeddingOperation];

export const ToolOperation = { CALL: 'call' } as const;
export type ToolOperation = (typeof ToolOperation)[keyof typeof ToolOperation];

/** Provenance tracking modes (`execution.provenanceMode`). */
export const ProvenanceMode = { NONE: 'none', PROXY: 'proxy', AST: 'ast' } as const;
export type ProvenanceMode = (typeof ProvenanceMode)[keyof typeof ProvenanceMode];
