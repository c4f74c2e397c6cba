import { ConfigError, describeIssues, type Logger, toFieldIssues } from '@agent-tool-protocol/protocol';
import { z } from 'zod';

const secretSource = { envVar: z.string().min(1).optional() };

const BearerAuthSchema = z.strictObject({
  scheme: z.literal('bearer'),
  token: z.string().min(1).optional(),
  ...secretSource,
});

const BasicAuthSchema = z.strictObject({
  scheme: z.literal('basic'),
  username: z.string().optional(),
  password: z.string().optional(),
  usernameEnvVar: z.string().min(1).optional(),
  passwordEnvVar: z.string().min(1).optional(),
});

const APIKeyAuthSchema = z.strictObject({
  scheme: z.literal('apiKey'),
  /** Where the key goes; defaults to the spec's first apiKey security scheme. */
  in: z.enum(['header', 'query', 'cookie']).optional(),
  name: z.string().min(1).optional(),
  value: z.string().min(1).optional(),
  ...secretSource,
});

const OAuth2ClientCredentialsSchema = z.strictObject({
  scheme: z.literal('oauth2'),
  /** Defaults to the spec's clientCredentials flow `tokenUrl`. */
  tokenUrl: z.string().min(1).optional(),
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  clientIdEnvVar: z.string().min(1).optional(),
  clientSecretEnvVar: z.string().min(1).optional(),
  scopes: z.array(z.string()).optional(),
  audience: z.string().optional(),
  /** How the client authenticates at the token endpoint (default `basic`: an Authorization header). */
  clientAuth: z.enum(['basic', 'body']).optional(),
});

/** Per-user credentials supplied at call time (`context.credentials.accessToken`), for OAuth API groups. */
const UserCredentialsAuthSchema = z.strictObject({
  scheme: z.literal('oauth'),
  /** Name of the server's OAuth provider for this group (carried in the group metadata). */
  provider: z.string().min(1).optional(),
  scopes: z.array(z.string()).optional(),
});

export const AuthSchema = z.discriminatedUnion('scheme', [
  BearerAuthSchema,
  BasicAuthSchema,
  APIKeyAuthSchema,
  OAuth2ClientCredentialsSchema,
  UserCredentialsAuthSchema,
]);

/**
 * The original ATP README spells the scheme `type` (`auth: { type: 'bearer', token }`): accepted as another
 * name for `scheme`.
 */
function schemeFromType(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('type' in value)) return value;
  const { type, ...rest } = value as Record<string, unknown>;
  if ('scheme' in rest && rest.scheme !== type) return value; // both given and different: the strict schema reports `type`
  return { ...rest, scheme: type };
}

const AuthEntrySchema = z.preprocess(schemeFromType, AuthSchema);

const stringList = z.array(z.string().min(1));

const FilterSchema = z.strictObject({
  tags: stringList.optional(),
  /** Exact paths or globs where `*` matches any run of characters (`/repos/*`). */
  paths: z.array(z.union([z.string().min(1), z.instanceof(RegExp)])).optional(),
  methods: stringList.optional(),
  operationIds: stringList.optional(),
});

const RetrySchema = z.strictObject({
  retries: z.number().int().min(0).max(10).optional(),
  baseDelayMs: z.number().min(0).optional(),
  maxDelayMs: z.number().min(0).optional(),
});

const LoggerSchema = z.custom<Logger>(
  (value) => typeof value === 'object' && value !== null,
  'must be a pino-compatible logger',
);

export const LoadOpenAPIOptionsSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, 'must be a valid identifier (letters, digits, _ or $)'),
    url: z.string().min(1).optional(),
    path: z.string().min(1).optional(),
    spec: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
    description: z.string().optional(),
    baseUrl: z.url().optional(),
    serverVariables: z.record(z.string(), z.string()).optional(),
    auth: z.union([AuthEntrySchema, z.array(AuthEntrySchema)]).optional(),
    include: FilterSchema.optional(),
    exclude: FilterSchema.optional(),
    headers: z.record(z.string(), z.string()).optional(),
    allowedRedirectOrigins: z
      .array(
        z.url({ protocol: /^https?$/, error: 'must be an http(s) origin such as https://cdn.example.com' }),
      )
      .optional(),
    timeout: z.number().int().positive().optional(),
    retry: z.union([RetrySchema, z.literal(false)]).optional(),
    maxResponseBytes: z.number().int().positive().optional(),
    namespaceByTag: z.boolean().optional(),
    pagination: z.boolean().optional(),
    fetch: z.custom<typeof fetch>((value) => typeof value === 'function', 'must be a function').optional(),
    logger: LoggerSchema.optional(),
  })
  .refine(
    (options) => [options.url, options.path, options.spec].filter((v) => v !== undefined).length === 1,
    {
      message: 'exactly one of url, path or spec is required',
      path: ['url'],
    },
  );

export type OpenAPIAuth = z.infer<typeof AuthSchema>;

/** An auth entry with its scheme under `type`, as the original ATP README writes it. */
export type OpenAPIAuthWithType = OpenAPIAuth extends infer Entry
  ? Entry extends { scheme: infer Scheme }
    ? Omit<Entry, 'scheme'> & { type: Scheme }
    : never
  : never;
export type OpenAPIFilter = z.infer<typeof FilterSchema>;
export type RetryOptions = z.infer<typeof RetrySchema>;

/** @deprecated Use `Logger` from `@agent-tool-protocol/protocol` (the same shape). */
export type OpenAPILogger = Logger;

export interface LoadOpenAPIOptions {
  /** Group name: functions are called as `api.<name>.<fn>`. */
  name: string;
  /** Where the spec lives: an http(s) or file URL … */
  url?: string;
  /** … a file path … */
  path?: string;
  /** … or the document itself (object, JSON text or YAML text). */
  spec?: string | Record<string, unknown>;
  description?: string;
  /** Overrides the spec's `servers` (or Swagger `host`/`basePath`). */
  baseUrl?: string;
  /** Values for server URL variables; unspecified ones use the spec's defaults. */
  serverVariables?: Record<string, string>;
  /** One auth method or several; each names its `scheme` (or, as the original ATP README, its `type`). */
  auth?: OpenAPIAuth | OpenAPIAuthWithType | Array<OpenAPIAuth | OpenAPIAuthWithType>;
  /** Keep only operations matching every given field (any value within a field). */
  include?: OpenAPIFilter;
  /** Drop operations matching any given field. */
  exclude?: OpenAPIFilter;
  /** Extra headers sent with every call. */
  headers?: Record<string, string>;
  /**
   * Origins besides a call's own that its redirects may lead to (`https://downloads.example.com`);
   * credentials are never sent there. Default none: a redirect to another origin fails the call, so an
   * upstream cannot point the server at an internal address.
   */
  allowedRedirectOrigins?: string[];
  /** Per-attempt timeout in ms (default 30000). */
  timeout?: number;
  /** Retry of idempotent calls on 429/503 (default 2 retries, 250 ms base, 10 s max delay). */
  retry?: RetryOptions | false;
  /** Largest response body accepted, in bytes (default 10 MiB). */
  maxResponseBytes?: number;
  /** Nest functions under their first tag (`issues.create`); default true. */
  namespaceByTag?: boolean;
  /**
   * Detect each operation's paging style (`metadata.pagination`, docs/pagination.md); default true.
   * `x-atp-pagination` in the spec applies either way.
   */
  pagination?: boolean;
  /** The fetch used for the spec and for calls (default: global fetch). */
  fetch?: typeof fetch;
  logger?: Logger;
}

/** The options after parsing: every auth entry names its `scheme`. */
export type ParsedLoadOptions = Omit<LoadOpenAPIOptions, 'auth'> & { auth?: OpenAPIAuth | OpenAPIAuth[] };

export function parseLoadOptions(options: unknown): ParsedLoadOptions {
  const parsed = LoadOpenAPIOptionsSchema.safeParse(options);
  if (parsed.success) return parsed.data as ParsedLoadOptions;
  const issues = toFieldIssues(parsed.error);
  throw new ConfigError(describeIssues('loadOpenAPI options', issues), issues);
}
