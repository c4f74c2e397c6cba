import type { APIGroup, AuditSink, EmbeddingsLike, ExecutionHooks } from '@agent-tool-protocol/protocol';
import { ProvenanceMode, parseOrThrow } from '@agent-tool-protocol/protocol';
import { z } from 'zod';
import { OAuthConfigSchema } from './oauth/oauth-config.js';
import { PlansConfigSchema, TypecheckModeSchema } from './plans/plans-config.js';

const positiveInt = z.number().int().positive();
const isObject = (value: unknown) => typeof value === 'object' && value !== null;

const ExecutionSchema = z
  .object({
    /** Wall-clock limit in ms (maximum; requests may ask for less). */
    timeout: positiveInt.default(30_000),
    /** Isolate memory limit in bytes (seed convention: `128 * 1024 * 1024`). */
    memory: positiveInt.min(8 * 1024 * 1024, 'must be at least 8 MB').default(128 * 1024 * 1024),
    /** Most LLM callbacks one execution may make. */
    llmCalls: z.number().int().min(0).default(10),
    cpuTime: positiveInt.default(10_000),
    maxToolCalls: z.number().int().min(0).default(1_000),
    maxResultBytes: positiveInt.default(5 * 1024 * 1024),
    maxCodeBytes: positiveInt.default(256 * 1024),
    /** Running executions at once across all clients, and per client; beyond them: 429. */
    maxConcurrent: positiveInt.default(64),
    maxConcurrentPerClient: positiveInt.default(8),
    /** Paused executions one client may hold on this instance; a new execution beyond it: 429. */
    maxPausedPerClient: positiveInt.default(100),
    provenanceMode: z.enum([ProvenanceMode.NONE, ProvenanceMode.PROXY, ProvenanceMode.AST]).default('none'),
    securityPolicies: z.array(z.unknown()).default([]),
    /** The rules file (docs/security.md): a YAML/JSON path (reloaded on change) or a rules object. */
    rules: z.union([z.string().min(1, 'must not be empty'), z.record(z.string(), z.unknown())]).optional(),
    /**
     * Security-layer options (allow/deny, clients, user, readers, …): SecurityOptions. The layer is on by
     * default (destructive and `requiresApproval` calls ask for approval, denied when nobody can give
     * it); `false` turns it off entirely.
     */
    security: z.union([z.literal(false), z.record(z.string(), z.unknown())]).optional(),
    hooks: z.custom<ExecutionHooks>(isObject, 'must be an ExecutionHooks object').optional(),
    /** Fresh isolates kept warm. */
    isolatePoolSize: z.number().int().min(0).max(64).default(2),
    /** Paused executions kept hot in memory before older ones move to the durable path. */
    maxHotPaused: z.number().int().min(0).default(100),
    /** Type-check agent code before it runs (docs/typecheck.md); requests may choose their own mode. */
    typecheck: TypecheckModeSchema.default('off'),
    /** Server-side approver used when the client provides no approval service. */
    onApproval: z
      .custom<
        (request: { message: string; context?: unknown; executionId: string; clientId: string }) => Promise<{
          approved: boolean;
          reason?: string;
        }>
      >((value) => typeof value === 'function', 'must be a function')
      .optional(),
  })
  .prefault({});

const ClientInitSchema = z
  .object({
    /** Token lifetime in seconds. */
    tokenTTL: positiveInt.default(3600),
    /** Seconds after issue when responses start carrying a rotated token. */
    tokenRotation: positiveInt.default(1800),
    /** `init` calls accepted per minute from all addresses together; beyond it: 429 with Retry-After. */
    maxInitsPerMinute: positiveInt.default(6000),
    /** `init` calls accepted per minute from one remote address (the socket's, not X-Forwarded-For). */
    maxInitsPerMinutePerIp: positiveInt.default(600),
  })
  .prefault({});

const ExecutionStateSchema = z
  .object({
    /** Seconds paused state and journals live in the cache. */
    ttl: positiveInt.default(3600),
    /** Longest a paused execution waits for its client, in seconds. */
    maxPauseDuration: positiveInt.default(3600),
  })
  .prefault({});

export const ServerConfigSchema = z.object({
  execution: ExecutionSchema,
  clientInit: ClientInitSchema,
  executionState: ExecutionStateSchema,
  discovery: z
    .object({
      embeddings: z
        .custom<EmbeddingsLike>(
          (value) => isObject(value) && typeof (value as EmbeddingsLike).embedQuery === 'function',
          'must have embedQuery and embedDocuments',
        )
        .optional(),
      /** Infer output types of untyped functions from their results (types only, never values). */
      inferOutputTypes: z.boolean().default(true),
      /** Also infer for functions whose metadata says `sensitivity: 'sensitive'`. */
      includeSensitiveOutputs: z.boolean().default(false),
    })
    .prefault({}),
  /** Plan, then approve once (docs/plans.md). */
  plans: PlansConfigSchema,
  audit: z
    .object({
      enabled: z.boolean().default(false),
      sinks: z
        .array(
          z.custom<AuditSink>((value) => isObject(value) && typeof (value as AuditSink).write === 'function'),
        )
        .default([]),
    })
    .prefault({}),
  otel: z
    .looseObject({
      enabled: z.boolean().default(false),
      serviceName: z.string().default('atp-server'),
      traceEndpoint: z.string().optional(),
      metricsEndpoint: z.string().optional(),
      /** How often the server's own SDK pushes metrics, in ms (also pushed at shutdown). */
      metricsIntervalMs: positiveInt.default(60_000),
    })
    .prefault({}),
  auth: z
    .object({
      /** HS256 secret for client tokens; falls back to ATP_JWT_SECRET. Required in production. */
      jwtSecret: z.string().min(16, 'must be at least 16 characters').optional(),
    })
    .prefault({}),
  http: z
    .object({
      /** Largest accepted JSON body, in bytes. */
      bodyLimit: positiveInt.default(1024 * 1024),
      /** Deepest nesting of objects and arrays accepted in a JSON body; deeper: 400. */
      maxJsonDepth: positiveInt.default(100),
      /** A client must send its request headers within this many ms (bounds slow-loris clients). */
      headersTimeoutMs: positiveInt.default(30_000),
      /** A client must send its whole request (headers and body) within this many ms. */
      requestTimeoutMs: positiveInt.default(5 * 60_000),
      /** Idle keep-alive connections are closed after this many ms. */
      keepAliveTimeoutMs: positiveInt.default(5_000),
      /** Open connections accepted at once; further ones are closed on arrival (0: no limit). */
      maxConnections: z.number().int().min(0).default(10_000),
      /** Paths the express app is mounted under when used with `handler()` (informational). */
      basePath: z.string().default(''),
    })
    .prefault({}),
  /** Each client's recent executions and audit trails (`GET /api/executions`), kept in the cache provider. */
  history: z
    .object({
      enabled: z.boolean().default(true),
      /** Executions listed per client (the newest). */
      maxExecutions: positiveInt.max(1000).default(50),
      /** Audit trail entries kept per execution (the first and the latest). */
      maxEvents: positiveInt.max(10_000).default(200),
    })
    .prefault({}),
  /** The ATP Inspector page (package `@agent-tool-protocol/inspector`, docs/inspector.md). */
  inspector: z
    .object({
      enabled: z.boolean().default(false),
      /** In production mode an enabled inspector is ignored (with a warning) unless this is true. */
      allowInProduction: z.boolean().default(false),
    })
    .prefault({}),
  /** Per-user OAuth for `oauth` API groups: `/oauth/*` routes and fresh credentials (docs/deployment.md). */
  oauth: OAuthConfigSchema.optional(),
  /** `production` refuses to start without a JWT secret. Defaults to NODE_ENV. */
  mode: z.enum(['production', 'development']).optional(),
  /** A pino logger, or `{level}` for the default one. */
  logger: z.unknown().optional(),
  apiGroups: z.array(z.custom<APIGroup>(isObject)).default([]),
  version: z.string().optional(),
});

export type ServerConfigInput = z.input<typeof ServerConfigSchema>;
export type ServerConfig = z.output<typeof ServerConfigSchema>;

export function parseServerConfig(input: unknown): ServerConfig {
  return parseOrThrow(ServerConfigSchema, input ?? {}, 'server config');
}
