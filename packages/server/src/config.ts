import type { APIGroup, AuditSink, EmbeddingsLike, ExecutionHooks } from '@agent-tool-protocol/protocol';
import { ProvenanceMode, parseOrThrow } from '@agent-tool-protocol/protocol';
import { z } from 'zod';

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
    provenanceMode: z.enum([ProvenanceMode.NONE, ProvenanceMode.PROXY, ProvenanceMode.AST]).default('none'),
    securityPolicies: z.array(z.unknown()).default([]),
    hooks: z.custom<ExecutionHooks>(isObject, 'must be an ExecutionHooks object').optional(),
    /** Fresh isolates kept warm. */
    isolatePoolSize: z.number().int().min(0).max(64).default(2),
    /** Paused executions kept hot in memory before older ones move to the durable path. */
    maxHotPaused: z.number().int().min(0).default(100),
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
    })
    .prefault({}),
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
      /** Paths the express app is mounted under when used with `handler()` (informational). */
      basePath: z.string().default(''),
    })
    .prefault({}),
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
