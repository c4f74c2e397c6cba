import { z } from 'zod';

// Values interpolated from the environment are strings: numeric and boolean fields accept `"3333"` / `"true"`.
const fromNumericString = (value: unknown) =>
  typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
const fromBooleanString = (value: unknown) => (value === 'true' ? true : value === 'false' ? false : value);
const number = <T extends z.ZodType>(schema: T) => z.preprocess(fromNumericString, schema);
const boolean = () => z.preprocess(fromBooleanString, z.boolean());
const positiveInt = number(z.number().int().positive());
const nonNegativeInt = number(z.number().int().min(0));
const identifier = z
  .string()
  .regex(
    /^[A-Za-z_$][A-Za-z0-9_$]*$/,
    'must be a JavaScript identifier (it becomes api.<name>), e.g. "github"',
  );
const nonEmpty = z.string().min(1, 'must not be empty');
const stringMap = z.record(z.string(), z.string());

/**
 * `server:` — where to listen and log, plus any serialisable createServer section (`execution`,
 * `clientInit`, `http`, `otel`, …), which is checked against the installed server's own schema
 * (server-settings.ts) so new server options work without a CLI release.
 */
const ServerSectionSchema = z
  .object({
    port: number(z.number().int().min(0).max(65_535)).default(3333),
    host: nonEmpty.default('127.0.0.1'),
    mode: z.enum(['production', 'development']).optional(),
    /** HS256 secret for client tokens (≥ 16 characters); defaults to ATP_JWT_SECRET. */
    jwtSecret: z.string().min(16, 'must be at least 16 characters').optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
    version: z.string().optional(),
    /** Where `atp serve` also serves ATP over MCP Streamable HTTP; `false` turns it off. */
    mcpPath: z
      .union([
        z.string().regex(/^\/(?!api(\/|$))/, 'must start with "/" and not be under /api'),
        z.literal(false),
      ])
      .default('/mcp'),
    /**
     * Serve `/mcp` without credentials (local use only). Default false: MCP clients send a client token
     * from POST /api/init, or credentials the `auth` section accepts.
     */
    mcpAnonymous: boolean().default(false),
  })
  .catchall(z.unknown());

const OpenAPIAuthSchema = z.discriminatedUnion('scheme', [
  z.strictObject({ scheme: z.literal('bearer'), token: nonEmpty.optional(), envVar: nonEmpty.optional() }),
  z.strictObject({
    scheme: z.literal('basic'),
    username: z.string().optional(),
    password: z.string().optional(),
    usernameEnvVar: nonEmpty.optional(),
    passwordEnvVar: nonEmpty.optional(),
  }),
  z.strictObject({
    scheme: z.literal('apiKey'),
    in: z.enum(['header', 'query', 'cookie']).optional(),
    name: nonEmpty.optional(),
    value: nonEmpty.optional(),
    envVar: nonEmpty.optional(),
  }),
  z.strictObject({
    scheme: z.literal('oauth2'),
    tokenUrl: nonEmpty.optional(),
    clientId: nonEmpty.optional(),
    clientSecret: nonEmpty.optional(),
    clientIdEnvVar: nonEmpty.optional(),
    clientSecretEnvVar: nonEmpty.optional(),
    scopes: z.array(z.string()).optional(),
    audience: z.string().optional(),
    clientAuth: z.enum(['basic', 'body']).optional(),
  }),
  z.strictObject({
    scheme: z.literal('oauth'),
    provider: nonEmpty.optional(),
    scopes: z.array(z.string()).optional(),
  }),
]);

const OpenAPIFilterSchema = z.strictObject({
  tags: z.array(nonEmpty).optional(),
  paths: z.array(nonEmpty).optional(),
  methods: z.array(nonEmpty).optional(),
  operationIds: z.array(nonEmpty).optional(),
});

export const OpenAPIEntrySchema = z
  .strictObject({
    name: identifier,
    /** A file path (relative to the config file) … */
    path: nonEmpty.optional(),
    /** … or an http(s)/file URL. */
    url: nonEmpty.optional(),
    description: z.string().optional(),
    baseUrl: z.url({ error: 'must be an absolute URL, e.g. https://api.example.com/v1' }).optional(),
    serverVariables: stringMap.optional(),
    auth: z.union([OpenAPIAuthSchema, z.array(OpenAPIAuthSchema)]).optional(),
    include: OpenAPIFilterSchema.optional(),
    exclude: OpenAPIFilterSchema.optional(),
    headers: stringMap.optional(),
    /** Origins besides the API's own that its redirects may lead to (credentials are not sent there). */
    allowedRedirectOrigins: z
      .array(
        z.url({ protocol: /^https?$/, error: 'must be an http(s) origin, e.g. https://cdn.example.com' }),
      )
      .optional(),
    timeout: positiveInt.optional(),
    retry: z
      .union([
        z.strictObject({
          retries: number(z.number().int().min(0).max(10)).optional(),
          baseDelayMs: number(z.number().min(0)).optional(),
          maxDelayMs: number(z.number().min(0)).optional(),
        }),
        z.literal(false),
      ])
      .optional(),
    maxResponseBytes: positiveInt.optional(),
    namespaceByTag: boolean().optional(),
  })
  .refine((entry) => (entry.path === undefined) !== (entry.url === undefined), {
    message: 'give exactly one of path or url',
    path: ['path'],
  });

const GraphQLAuthSchema = z.discriminatedUnion('scheme', [
  z.strictObject({
    scheme: z.literal('bearer'),
    token: nonEmpty.optional(),
    value: nonEmpty.optional(),
    envVar: nonEmpty.optional(),
  }),
  z.strictObject({
    scheme: z.literal('basic'),
    username: z.string().optional(),
    password: z.string().optional(),
    usernameEnvVar: nonEmpty.optional(),
    passwordEnvVar: nonEmpty.optional(),
  }),
  z.strictObject({
    scheme: z.literal('apiKey'),
    in: z.enum(['header', 'query']).optional(),
    name: nonEmpty,
    value: nonEmpty.optional(),
    envVar: nonEmpty.optional(),
  }),
  z.strictObject({
    scheme: z.literal('custom'),
    headers: stringMap.optional(),
    headerEnvVars: z.record(z.string(), nonEmpty).optional(),
  }),
  z.strictObject({
    scheme: z.literal('oauth'),
    provider: nonEmpty.optional(),
    scopes: z.array(z.string()).optional(),
  }),
]);

const GraphQLFilterSchema = z.strictObject({
  operations: z.array(z.enum(['query', 'mutation'])).optional(),
  fields: z.array(nonEmpty).optional(),
});

/** A GraphQL API: the endpoint `url` (introspected unless `path` gives the schema: SDL or introspection JSON). */
export const GraphQLEntrySchema = z
  .strictObject({
    name: identifier,
    /** The endpoint calls go to; introspected when there is no `path`. */
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://api.example.com/graphql' })
      .optional(),
    /** A schema file (relative to the config file): SDL, or an introspection result (.json). */
    path: nonEmpty.optional(),
    description: z.string().optional(),
    auth: z.union([GraphQLAuthSchema, z.array(GraphQLAuthSchema)]).optional(),
    include: GraphQLFilterSchema.optional(),
    exclude: GraphQLFilterSchema.optional(),
    headers: stringMap.optional(),
    queryDepthLimit: number(z.number().int().min(0).max(10)).optional(),
    depthLimit: number(z.number().int().min(1).max(50)).optional(),
    timeout: positiveInt.optional(),
    retry: z
      .union([
        z.strictObject({
          retries: number(z.number().int().min(0).max(10)).optional(),
          baseDelayMs: number(z.number().min(0)).optional(),
          maxDelayMs: number(z.number().min(0)).optional(),
        }),
        z.literal(false),
      ])
      .optional(),
    maxResponseBytes: positiveInt.optional(),
  })
  .refine((entry) => entry.path !== undefined || entry.url !== undefined, {
    message: 'give url (the endpoint, introspected) and/or path (a schema file)',
    path: ['url'],
  });

const mcpCommon = {
  name: identifier,
  description: z.string().optional(),
  callTimeoutMs: positiveInt.optional(),
};

export const MCPStdioEntrySchema = z.strictObject({
  ...mcpCommon,
  command: nonEmpty,
  args: z.array(z.string()).default([]),
  /** Added to a small safe environment; the gateway's own environment is not passed on. */
  env: stringMap.optional(),
  cwd: nonEmpty.optional(),
});

export const MCPHTTPEntrySchema = z.strictObject({
  ...mcpCommon,
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  headers: stringMap.optional(),
  transport: z.enum(['auto', 'streamable-http', 'sse']).optional(),
});

/** `url` → an HTTP server, otherwise a stdio one; each checked against its own schema so errors name the field. */
export const MCPEntrySchema = z.unknown().transform((value, context) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    context.addIssue({
      code: 'custom',
      message: 'must be an object with `command` (a stdio server) or `url` (an HTTP server)',
    });
    return z.NEVER;
  }
  const parsed = ('url' in value ? MCPHTTPEntrySchema : MCPStdioEntrySchema).safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    context.addIssue({ ...issue, code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

const RedisObjectSchema = z.strictObject({
  url: nonEmpty,
  keyPrefix: z.string().optional(),
  defaultTTL: number(z.number().positive()).optional(),
});
/** `redis: redis://host:6379` or the object form. */
const RedisSchema = z.union([
  nonEmpty.transform((url): z.output<typeof RedisObjectSchema> => ({ url })),
  RedisObjectSchema,
]);

const AuditObjectSchema = z.strictObject({
  /** Directory of the JSONL audit log (relative to the config file). */
  dir: nonEmpty,
  file: nonEmpty.optional(),
  rotateDaily: boolean().optional(),
  maxSizeBytes: positiveInt.optional(),
  arguments: z.enum(['hash', 'redact', 'keep']).optional(),
});
/** `audit: ./audit` or the object form. */
const AuditSchema = z.union([
  nonEmpty.transform((dir): z.output<typeof AuditObjectSchema> => ({ dir })),
  AuditObjectSchema,
]);

const APIKeySchema = z.string().min(16, 'must have at least 16 characters');

const AuthSchema = z
  .strictObject({
    apiKeys: z
      .array(
        z.union([
          APIKeySchema,
          z.strictObject({
            key: APIKeySchema,
            userId: nonEmpty.optional(),
            scopes: z.array(z.string()).optional(),
          }),
        ]),
      )
      .optional(),
    apiKeyHeader: nonEmpty.optional(),
    jwt: z
      .strictObject({
        secret: z.string().min(32, 'must be at least 32 characters').optional(),
        jwksUrl: z.url().optional(),
        issuer: z.union([nonEmpty, z.array(nonEmpty)]).optional(),
        audience: z.union([nonEmpty, z.array(nonEmpty)]).optional(),
        algorithms: z.array(nonEmpty).min(1).optional(),
        userIdClaim: nonEmpty.optional(),
      })
      .refine((jwt) => (jwt.secret === undefined) !== (jwt.jwksUrl === undefined), {
        message: 'give exactly one of secret or jwksUrl',
        path: ['secret'],
      })
      .optional(),
  })
  .refine((auth) => auth.apiKeys !== undefined || auth.jwt !== undefined, {
    message: 'declare apiKeys and/or jwt (or remove the auth section)',
  });

const OAuthProviderSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('github'),
    clientId: nonEmpty,
    clientSecret: nonEmpty,
    scopes: z.array(z.string()).optional(),
  }),
  z.strictObject({
    type: z.literal('google'),
    clientId: nonEmpty,
    clientSecret: nonEmpty,
    scopes: z.array(z.string()).optional(),
    offlineAccess: boolean().optional(),
  }),
  z.strictObject({
    type: z.literal('oauth2'),
    name: identifier,
    clientId: nonEmpty,
    clientSecret: nonEmpty,
    authorizeUrl: z.url(),
    tokenUrl: z.url(),
    scopes: z.array(z.string()).optional(),
  }),
]);

/** The provenance package's built-in policies, by name; options as in docs/security.md. */
export const BUILT_IN_POLICIES = [
  'preventDataExfiltration',
  'requireUserOrigin',
  'blockLLMRecipients',
] as const;
const policyName = z.enum(BUILT_IN_POLICIES, {
  error: `must be a built-in policy: ${BUILT_IN_POLICIES.join(', ')}`,
});
const PolicySchema = z.union([
  policyName.transform((name) => ({ name })),
  z.looseObject({ name: policyName }),
]);

const LLMSchema = z.strictObject({
  /** An OpenAI-compatible endpoint (`…/v1`); `/chat/completions` is appended. */
  baseUrl: z.url({ error: 'must be an absolute URL, e.g. https://api.openai.com/v1' }),
  apiKey: z.string().optional(),
  model: nonEmpty,
  temperature: number(z.number().min(0).max(2)).optional(),
  maxTokens: positiveInt.optional(),
  headers: stringMap.optional(),
  timeoutMs: positiveInt.optional(),
});

export const ATPConfigSchema = z.strictObject({
  server: ServerSectionSchema.prefault({}),
  openapi: z.array(OpenAPIEntrySchema).default([]),
  graphql: z.array(GraphQLEntrySchema).default([]),
  mcp: z.array(MCPEntrySchema).default([]),
  mcpOptions: z
    .strictObject({
      callTimeoutMs: positiveInt.optional(),
      connectTimeoutMs: positiveInt.optional(),
      shutdownGraceMs: nonNegativeInt.optional(),
    })
    .optional(),
  redis: RedisSchema.optional(),
  audit: AuditSchema.optional(),
  auth: AuthSchema.optional(),
  oauth: z
    .strictObject({
      providers: z.array(OAuthProviderSchema).min(1, 'must list at least one provider'),
      /** Encrypts stored tokens (AES-256-GCM); the same on every instance. */
      encryptionKey: z.string().min(32, 'must have at least 32 characters'),
      previousEncryptionKeys: z.array(z.string().min(32, 'must have at least 32 characters')).optional(),
      /** This gateway's public `/oauth/callback` URL, as registered with every provider. */
      redirectUri: z.url({ error: 'must be an absolute URL, e.g. https://atp.example.com/oauth/callback' }),
      stateSecret: z.string().min(16, 'must have at least 16 characters').optional(),
      subject: z.enum(['user', 'client']).optional(),
      successRedirect: z.url().optional(),
    })
    .optional(),
  provenance: z
    .strictObject({
      mode: z.enum(['none', 'proxy', 'ast']).default('none'),
      policies: z.array(PolicySchema).default([]),
    })
    .optional(),
  /** A rules file (YAML), relative to the config file. */
  rules: nonEmpty.optional(),
  llm: LLMSchema.optional(),
  /** Serve the ATP Inspector page at /inspector (`atp serve --inspector`). */
  inspector: boolean().optional(),
});

export type ATPConfigInput = z.input<typeof ATPConfigSchema>;
export type ATPConfig = z.output<typeof ATPConfigSchema>;
export type OpenAPIEntry = z.output<typeof OpenAPIEntrySchema>;
export type GraphQLEntry = z.output<typeof GraphQLEntrySchema>;
export type MCPEntry = z.output<typeof MCPEntrySchema>;
export type LLMConfig = z.output<typeof LLMSchema>;
