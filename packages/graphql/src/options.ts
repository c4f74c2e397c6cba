import { fileURLToPath } from 'node:url';
import {
  ConfigError,
  describeIssues,
  type JSONSchema,
  type Logger,
  toFieldIssues,
} from '@agent-tool-protocol/protocol';
import type { GraphQLSchema } from 'graphql';
import { z } from 'zod';

const nonEmpty = z.string().min(1, 'must not be empty');
const secretSource = { envVar: nonEmpty.optional() };

const BearerAuthSchema = z.strictObject({
  scheme: z.literal('bearer'),
  token: nonEmpty.optional(),
  /** The original ATP's name for a literal token. */
  value: nonEmpty.optional(),
  ...secretSource,
});

const BasicAuthSchema = z.strictObject({
  scheme: z.literal('basic'),
  username: z.string().optional(),
  password: z.string().optional(),
  usernameEnvVar: nonEmpty.optional(),
  passwordEnvVar: nonEmpty.optional(),
});

const ApiKeyAuthSchema = z.strictObject({
  scheme: z.literal('apiKey'),
  /** Where the key goes (default `header`). */
  in: z.enum(['header', 'query']).optional(),
  name: nonEmpty,
  value: nonEmpty.optional(),
  ...secretSource,
});

/** Headers with literal values and/or values read from environment variables on every call. */
const CustomHeadersAuthSchema = z.strictObject({
  scheme: z.literal('custom'),
  headers: z.record(z.string(), z.string()).optional(),
  /** Header name → environment variable holding its value. */
  headerEnvVars: z.record(z.string(), nonEmpty).optional(),
});

/** Per-user credentials supplied at call time (`context.credentials.accessToken`), for OAuth API groups. */
const UserCredentialsAuthSchema = z.strictObject({
  scheme: z.literal('oauth'),
  /** Name of the server's OAuth provider for this group (carried in the group metadata). */
  provider: nonEmpty.optional(),
  scopes: z.array(z.string()).optional(),
});

export const GraphQLAuthSchema = z.discriminatedUnion('scheme', [
  BearerAuthSchema,
  BasicAuthSchema,
  ApiKeyAuthSchema,
  CustomHeadersAuthSchema,
  UserCredentialsAuthSchema,
]);

/** One auth method or a list; checked against the matching shape so a message names the real field. */
const AuthOptionSchema = z.unknown().transform((value, context): GraphQLAuth | GraphQLAuth[] => {
  const parsed = (Array.isArray(value) ? z.array(GraphQLAuthSchema) : GraphQLAuthSchema).safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    context.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  }
  return z.NEVER;
});

const FilterSchema = z.strictObject({
  /** `query` and/or `mutation`. */
  operations: z.array(z.enum(['query', 'mutation'])).optional(),
  /** Root field names, exact or globs where `*` matches any run of characters (`create*`). */
  fields: z.array(nonEmpty).optional(),
});

const RetrySchema = z.strictObject({
  retries: z.number().int().min(0).max(10).optional(),
  baseDelayMs: z.number().min(0).optional(),
  maxDelayMs: z.number().min(0).optional(),
});

const LoggerSchema = z.custom<GraphQLLogger>(
  (value) => typeof value === 'object' && value !== null,
  'must be a pino-compatible logger',
);

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const LoadGraphQLOptionsSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, 'must be a valid identifier (letters, digits, _ or $)')
      .default('graphql'),
    url: httpUrl.optional(),
    introspectionUrl: httpUrl.optional(),
    path: nonEmpty.optional(),
    sdl: nonEmpty.optional(),
    introspection: z.union([nonEmpty, z.record(z.string(), z.unknown())]).optional(),
    schema: z
      .custom<GraphQLSchema>(
        (value) => typeof value === 'object' && value !== null && 'getQueryType' in value,
        'must be a GraphQLSchema (use sdl for SDL text)',
      )
      .optional(),
    description: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    auth: AuthOptionSchema.optional(),
    include: FilterSchema.optional(),
    exclude: FilterSchema.optional(),
    queryDepthLimit: z.number().int().min(0).max(10).optional(),
    depthLimit: z.number().int().min(1).max(50).optional(),
    scalars: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    timeout: z.number().int().positive().optional(),
    retry: z.union([RetrySchema, z.literal(false)]).optional(),
    maxResponseBytes: z.number().int().positive().optional(),
    fetch: z.custom<typeof fetch>((value) => typeof value === 'function', 'must be a function').optional(),
    logger: LoggerSchema.optional(),
  })
  .refine(
    (options) =>
      [options.path, options.sdl, options.introspection, options.schema].filter((v) => v !== undefined)
        .length <= 1,
    { message: 'give at most one of path, sdl, introspection or schema', path: ['path'] },
  )
  .refine(
    (options) =>
      options.url !== undefined ||
      options.introspectionUrl !== undefined ||
      options.path !== undefined ||
      options.sdl !== undefined ||
      options.introspection !== undefined ||
      options.schema !== undefined,
    {
      message: 'give the endpoint url (introspected) or the schema as path, sdl, introspection or schema',
      path: ['url'],
    },
  )
  .refine(
    (options) =>
      options.queryDepthLimit === undefined || options.queryDepthLimit <= (options.depthLimit ?? 8),
    { message: 'must not exceed depthLimit', path: ['queryDepthLimit'] },
  );

export type GraphQLAuth = z.infer<typeof GraphQLAuthSchema>;
export type GraphQLFilter = z.infer<typeof FilterSchema>;
export type GraphQLRetryOptions = z.infer<typeof RetrySchema>;

/** @deprecated Use `Logger` from `@agent-tool-protocol/protocol` (the same shape). */
export type GraphQLLogger = Logger;

export interface LoadGraphQLOptions {
  /** Group name: functions are called as `api.<name>.<fn>` (default `graphql`). */
  name?: string;
  /** The GraphQL endpoint calls are POSTed to; introspected when no schema is given. */
  url?: string;
  /** Where to introspect the schema when it differs from `url`. */
  introspectionUrl?: string;
  /** A schema file: SDL (`.graphql`, `.gql`, `.graphqls`, …) or an introspection result (`.json`). */
  path?: string;
  /** The schema as SDL text. */
  sdl?: string;
  /** An introspection result (`{ __schema }` or `{ data: { __schema } }`), as an object or JSON text. */
  introspection?: string | Record<string, unknown>;
  /** A schema built with the `graphql` package (the same copy this package uses). */
  schema?: GraphQLSchema;
  description?: string;
  /** Extra headers sent with every call (and the introspection request). */
  headers?: Record<string, string>;
  auth?: GraphQLAuth | GraphQLAuth[];
  /** Keep only root fields matching every given filter field. */
  include?: GraphQLFilter;
  /** Drop root fields matching any given filter field. */
  exclude?: GraphQLFilter;
  /** How many levels of nested objects the default selection expands below the returned type (default 1). */
  queryDepthLimit?: number;
  /** The deepest selection a call may send, `_fields` included (default 8). */
  depthLimit?: number;
  /** JSON Schemas for custom scalars by name (e.g. `{ DateTime: { type: 'string', format: 'date-time' } }`). */
  scalars?: Record<string, JSONSchema>;
  /** Per-attempt timeout in ms (default 30000). */
  timeout?: number;
  /** Retry of queries on 429/503 (default 2 retries, 250 ms base, 10 s max delay). Mutations never retry. */
  retry?: GraphQLRetryOptions | false;
  /** Largest response body accepted, in bytes (default 10 MiB). */
  maxResponseBytes?: number;
  /** The fetch used for introspection and calls (default: global fetch). */
  fetch?: typeof fetch;
  logger?: GraphQLLogger;
}

/** Options of the original call shape `loadGraphQL(source, options)`. */
export type LoadGraphQLSourceOptions = Omit<
  LoadGraphQLOptions,
  'path' | 'sdl' | 'introspection' | 'schema' | 'introspectionUrl'
>;

export type ParsedLoadOptions = Omit<z.output<typeof LoadGraphQLOptionsSchema>, 'scalars'> & {
  name: string;
  scalars?: Record<string, JSONSchema>;
};

const URL_SOURCE = /^https?:\/\//i;

/** Turns either call shape into one options object (not yet validated). */
export function optionsOf(source: unknown, options: unknown): unknown {
  if (typeof source !== 'string') {
    if (options !== undefined) {
      throw new ConfigError('loadGraphQL takes (source, options) or a single options object', [
        { path: '', message: 'unexpected second argument' },
      ]);
    }
    return source;
  }
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new ConfigError('loadGraphQL options must be an object', [
      { path: '', message: 'expected object' },
    ]);
  }
  const rest = (options ?? {}) as Record<string, unknown>;
  for (const key of ['path', 'sdl', 'introspection', 'schema', 'introspectionUrl']) {
    if (rest[key] !== undefined) {
      throw new ConfigError(
        `loadGraphQL options: ${key} cannot be combined with a source argument; pass one options object instead`,
        [{ path: key, message: 'not allowed with a source argument' }],
      );
    }
  }
  if (URL_SOURCE.test(source)) return { ...rest, introspectionUrl: source, url: rest.url ?? source };
  const path = source.startsWith('file://') ? fileURLToPath(source) : source;
  return { ...rest, path };
}

export function parseLoadOptions(options: unknown): ParsedLoadOptions {
  const parsed = LoadGraphQLOptionsSchema.safeParse(options);
  if (parsed.success) return parsed.data as ParsedLoadOptions;
  const issues = toFieldIssues(parsed.error);
  throw new ConfigError(describeIssues('loadGraphQL options', issues), issues);
}
