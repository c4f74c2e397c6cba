import { z } from 'zod';
import { EXECUTION_STATUSES } from './codes.js';

// Wire schemas for every request and response in PROTOCOL.md. Objects are loose (`z.looseObject`)
// where the protocol says "add fields freely", so newer peers' extra fields pass through.

const jsonSchemaObject = z.record(z.string(), z.unknown());

export const ClientToolDefinitionSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  inputSchema: jsonSchemaObject.optional(),
  outputSchema: jsonSchemaObject.optional(),
  namespace: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type ClientToolDefinition = z.infer<typeof ClientToolDefinitionSchema>;

export const ClientServicesSchema = z.looseObject({
  hasLLM: z.boolean().default(false),
  hasApproval: z.boolean().default(false),
  hasEmbedding: z.boolean().default(false),
  hasTools: z.boolean().default(false),
});
export type ClientServices = z.infer<typeof ClientServicesSchema>;

export const InitRequestSchema = z.looseObject({
  clientInfo: z.record(z.string(), z.unknown()).optional(),
  tools: z.array(ClientToolDefinitionSchema).max(1000).optional(),
  services: ClientServicesSchema.optional(),
});
export type InitRequest = z.infer<typeof InitRequestSchema>;

export const TokenResponseSchema = z.looseObject({
  token: z.string(),
  expiresAt: z.number(),
  tokenRotateAt: z.number(),
});
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

export const InitResponseSchema = TokenResponseSchema.extend({ clientId: z.string() });
export type InitResponse = z.infer<typeof InitResponseSchema>;

export const InfoResponseSchema = z.looseObject({
  version: z.string(),
  capabilities: z.looseObject({
    execution: z.boolean(),
    search: z.boolean(),
    llmCalls: z.boolean(),
  }),
  limits: z.looseObject({
    maxTimeout: z.number(),
    maxMemory: z.number(),
    maxLLMCalls: z.number(),
  }),
});
export type InfoResponse = z.infer<typeof InfoResponseSchema>;

export const DefinitionsQuerySchema = z.looseObject({
  apiGroups: z.union([z.string(), z.array(z.string())]).optional(),
});
export type DefinitionsQuery = z.infer<typeof DefinitionsQuerySchema>;

export const DefinitionsResponseSchema = z.looseObject({
  typescript: z.string(),
  apiGroups: z.array(z.string()),
  version: z.string(),
});
export type DefinitionsResponse = z.infer<typeof DefinitionsResponseSchema>;

export const SearchRequestSchema = z.looseObject({
  query: z.string().min(1, 'must not be empty').max(2000),
  apiGroups: z.array(z.string()).optional(),
  maxResults: z.number().int().min(1).max(200).optional(),
});
export type SearchRequest = z.infer<typeof SearchRequestSchema>;

export const SearchResultSchema = z.looseObject({
  apiGroup: z.string(),
  functionName: z.string(),
  /** `<group>.<function>`: the path under `api` an agent calls (catalog results always carry it). */
  name: z.string().optional(),
  description: z.string(),
  signature: z.string(),
  relevanceScore: z.number(),
});
export type SearchResult = z.infer<typeof SearchResultSchema>;

/**
 * The call as an agent writes it, `api.crm.users.create({ email: string; … })`: this server's
 * signatures list only the parameters (the name travels in `name`), older servers' start with `api.`.
 */
export function searchResultCall(result: SearchResult): string {
  if (result.signature.startsWith('api.')) return result.signature;
  return `api.${result.name ?? `${result.apiGroup}.${result.functionName}`}${result.signature}`;
}

export const SearchResponseSchema = z.looseObject({ results: z.array(SearchResultSchema) });
export type SearchResponse = z.infer<typeof SearchResponseSchema>;

export const ExploreRequestSchema = z.looseObject({
  path: z.string().min(1).max(1000).startsWith('/', 'must start with "/"'),
});
export type ExploreRequest = z.infer<typeof ExploreRequestSchema>;

export const ExploreDirectorySchema = z.looseObject({
  type: z.literal('directory'),
  path: z.string(),
  items: z.array(z.looseObject({ name: z.string(), type: z.enum(['directory', 'function']) })),
});
export type ExploreDirectory = z.infer<typeof ExploreDirectorySchema>;

export const ExploreFunctionSchema = z.looseObject({
  type: z.literal('function'),
  path: z.string(),
  name: z.string(),
  description: z.string(),
  definition: z.string(),
  group: z.string(),
  inputSchema: z.unknown().optional(),
  outputSchema: z.unknown().optional(),
});
export type ExploreFunction = z.infer<typeof ExploreFunctionSchema>;

export const ExploreResponseSchema = z.discriminatedUnion('type', [
  ExploreDirectorySchema,
  ExploreFunctionSchema,
]);
export type ExploreResponse = z.infer<typeof ExploreResponseSchema>;

const positiveInt = z.number().int().positive();

export const ExecutionConfigSchema = z.looseObject({
  timeout: positiveInt.optional(),
  maxMemory: positiveInt.optional(),
  maxLLMCalls: z.number().int().min(0).optional(),
  maxToolCalls: z.number().int().min(0).optional(),
  cpuTime: positiveInt.optional(),
  maxResultBytes: positiveInt.optional(),
  clientServices: ClientServicesSchema.partial().optional(),
});
export type ExecutionConfig = z.infer<typeof ExecutionConfigSchema>;

export const ExecuteRequestSchema = z.looseObject({
  code: z.string().min(1, 'must not be empty'),
  config: ExecutionConfigSchema.optional(),
});
export type ExecuteRequest = z.infer<typeof ExecuteRequestSchema>;

export const ExecutionErrorSchema = z.looseObject({
  message: z.string(),
  code: z.string(),
  stack: z.string().optional(),
  retryable: z.boolean().optional(),
  suggestion: z.string().optional(),
  line: z.number().optional(),
  column: z.number().optional(),
  /** Structured data of the error the agent's code ended with (e.g. a `ValidationError`'s issues). */
  details: z.unknown().optional(),
});
export type ExecutionError = z.infer<typeof ExecutionErrorSchema>;

/** Every field a server sends in `stats`; strict, so a field the server adds must be added here. */
export const ExecutionStatsSchema = z.object({
  /** Active (in-sandbox) time in ms, excluding time paused. */
  duration: z.number(),
  /** Isolate heap used at the end, in bytes (absent when the execution never reached an isolate). */
  memoryUsed: z.number().optional(),
  llmCallsCount: z.number(),
  approvalCallsCount: z.number(),
  /** `api.*` and client-tool calls (fields below are additions to the 0.19 protocol, hence optional). */
  toolCallsCount: z.number().optional(),
  /** Host calls of every kind (tools, callbacks, cache, logs…); `maxToolCalls` bounds them. */
  hostCallsCount: z.number().optional(),
  /** Tokens the client reported with its LLM answers, summed over the execution. */
  inputTokens: z.number().optional(),
  outputTokens: z.number().optional(),
  /** Bytes of the ExecutionResult JSON of every response so far (before these fields were added). */
  bytesReturned: z.number().optional(),
});
export type ExecutionStats = z.infer<typeof ExecutionStatsSchema>;

export const CallbackRequestSchema = z.looseObject({
  type: z.enum(['llm', 'approval', 'embedding', 'tool']),
  operation: z.string(),
  payload: z.record(z.string(), z.unknown()),
});
export type CallbackRequest = z.infer<typeof CallbackRequestSchema>;

export const PendingCallbackSchema = CallbackRequestSchema.extend({ id: z.string() });
export type PendingCallback = z.infer<typeof PendingCallbackSchema>;

export const LogEntrySchema = z.looseObject({
  level: z.enum(['debug', 'info', 'warn', 'error']),
  message: z.string(),
  data: z.unknown().optional(),
  timestamp: z.number(),
});
export type LogEntry = z.infer<typeof LogEntrySchema>;

export const ExecutionResultSchema = z.looseObject({
  executionId: z.string(),
  status: z.enum(EXECUTION_STATUSES),
  result: z.unknown().optional(),
  error: ExecutionErrorSchema.optional(),
  stats: ExecutionStatsSchema,
  needsCallback: CallbackRequestSchema.optional(),
  needsCallbacks: z.array(PendingCallbackSchema).optional(),
  logs: z.array(LogEntrySchema).optional(),
});
export type ExecutionResult = z.infer<typeof ExecutionResultSchema>;

export const CallbackErrorSchema = z.looseObject({ __error: z.literal(true), message: z.string() });
export type CallbackError = z.infer<typeof CallbackErrorSchema>;

export const CallbackResultSchema = z.looseObject({ id: z.string().min(1), result: z.unknown() });
export type CallbackResult = z.infer<typeof CallbackResultSchema>;

/** `{result}` answers the single pending callback; `{results:[{id, result}]}` answers several by id. */
export const ResumeRequestSchema = z.union([
  z.looseObject({ results: z.array(CallbackResultSchema).min(1, 'must hold at least one result') }),
  z.looseObject({ result: z.unknown() }).refine((body) => 'result' in body, {
    message: 'expected `result` or `results`',
  }),
]);
export type ResumeRequest = z.infer<typeof ResumeRequestSchema>;

export const ErrorBodySchema = z.looseObject({
  error: z.string(),
  code: z.string(),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
