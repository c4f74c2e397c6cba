import { z } from 'zod';
import { type Pagination, PaginationSchema, type ResponseInfo } from './pagination.js';
import type { OAuthProvider } from './providers.js';

/** JSON Schema, as found in OpenAPI specs and MCP tool definitions. */
export type JSONSchema = Record<string, unknown>;

export const OperationType = { READ: 'read', WRITE: 'write', DESTRUCTIVE: 'destructive' } as const;
export type OperationType = (typeof OperationType)[keyof typeof OperationType];

export const Sensitivity = { PUBLIC: 'public', INTERNAL: 'internal', SENSITIVE: 'sensitive' } as const;
export type Sensitivity = (typeof Sensitivity)[keyof typeof Sensitivity];

/** What a function does, used by approvals and policies. */
export interface ToolMetadata {
  operationType?: OperationType;
  sensitivity?: Sensitivity;
  requiresApproval?: boolean;
  requiredScopes?: string[];
  /** Free-form tags (OpenAPI tags, MCP annotations, …). */
  tags?: string[];
  /** How the function pages; agent code then has `api.<fn>.paginate()` and `.all()` (docs/pagination.md). */
  pagination?: Pagination;
  [key: string]: unknown;
}

export const ToolMetadataSchema = z.looseObject({
  operationType: z.enum(['read', 'write', 'destructive']).optional(),
  sensitivity: z.enum(['public', 'internal', 'sensitive']).optional(),
  requiresApproval: z.boolean().optional(),
  requiredScopes: z.array(z.string()).optional(),
  tags: z.array(z.string()).optional(),
  pagination: PaginationSchema.optional(),
});

/** What a function handler receives besides its input. */
export interface FunctionCallContext {
  clientId: string;
  executionId: string;
  /** For `oauth` groups: the caller's fresh credentials. */
  credentials?: Record<string, unknown>;
  /**
   * For `oauth` groups, the caller's access token also at the top level, so a handler written as in the
   * original ATP README, `handler: async (input, credentials) => send(input, credentials.accessToken)`, works.
   */
  accessToken?: string;
  /** With `accessToken`: when it expires (epoch ms), its scopes and type, when the provider said. */
  expiresAt?: number;
  scope?: string;
  tokenType?: string;
  signal?: AbortSignal;
  /**
   * Set by callers that need the HTTP response behind a result (pagination follows `Link` headers):
   * HTTP-backed handlers call it once with the successful response's status and headers.
   */
  onResponse?: (response: ResponseInfo) => void;
}

export type FunctionHandler = (input: any, context: FunctionCallContext) => unknown | Promise<unknown>;

export interface FunctionDef {
  /** The name agents call: `api.<group>.<name>`. May contain dots for nested namespaces (`issues.create`). */
  name: string;
  description?: string;
  inputSchema?: JSONSchema;
  outputSchema?: JSONSchema;
  metadata?: ToolMetadata;
  handler: FunctionHandler;
}

export const APIGroupType = {
  CUSTOM: 'custom',
  OPENAPI: 'openapi',
  GRAPHQL: 'graphql',
  MCP: 'mcp',
  OAUTH: 'oauth',
} as const;
export type APIGroupType = (typeof APIGroupType)[keyof typeof APIGroupType];

export interface APIGroup {
  name: string;
  type: APIGroupType;
  description?: string;
  functions: FunctionDef[];
  /** Shared JSON Schema definitions that `$ref`s in function schemas point to (`#/$defs/Name`). */
  definitions?: Record<string, JSONSchema>;
  metadata?: Record<string, unknown>;
  /**
   * For `oauth` groups, as in the original ATP README: the provider whose per-user tokens the functions get
   * (`context.accessToken`). The server serves its consent callback at the path of `oauthProvider.redirectUri`.
   */
  oauthProvider?: OAuthProvider;
}

/** How an API group authenticates, in the original ATP's terms (`scheme`, or the README's `type`). */
export interface AuthConfig {
  scheme?: string;
  type?: string;
  envVar?: string;
  token?: string;
  value?: string;
  [key: string]: unknown;
}

/** The original ATP's name for an API group definition, with its informational `baseUrl` and `auth`. */
export interface APIGroupConfig extends APIGroup {
  baseUrl?: string;
  auth?: AuthConfig;
}

/** The original ATP's name for a function definition. */
export type CustomFunctionDef = FunctionDef;

export const FunctionDefSchema = z.looseObject({
  name: z.string().min(1, 'must not be empty'),
  description: z.string().optional(),
  inputSchema: z.record(z.string(), z.unknown()).optional(),
  outputSchema: z.record(z.string(), z.unknown()).optional(),
  metadata: ToolMetadataSchema.optional(),
  handler: z.custom<FunctionHandler>((value) => typeof value === 'function', 'must be a function'),
});

export const APIGroupSchema = z.looseObject({
  name: z.string().min(1, 'must not be empty'),
  type: z.enum(['custom', 'openapi', 'graphql', 'mcp', 'oauth']),
  description: z.string().optional(),
  functions: z.array(FunctionDefSchema),
  definitions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
