import {
  type APIGroup,
  type AuditSink,
  type AuthProvider,
  type CacheProvider,
  type EmbeddingsLike,
  type Logger,
  parseOrThrow,
} from '@agent-tool-protocol/protocol';
import { z } from 'zod';
import { OAuthConfigSchema } from '../oauth/oauth-config.js';
import { PlansConfigSchema } from '../plans/plans-config.js';
import { QuotasConfigSchema } from '../quotas/quotas-config.js';
import type { Telemetry } from '../telemetry/telemetry.js';
import { CatalogSettingsSchema } from './catalog-settings.js';
import { ExecutionSettingsSchema } from './execution-settings.js';

const positiveInt = z.number().int().positive();
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;
const hasMethods =
  (...names: string[]) =>
  (value: unknown) =>
    isObject(value) && names.every((name) => typeof value[name] === 'function');

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

const DiscoverySchema = z
  .object({
    embeddings: z
      .custom<EmbeddingsLike>(
        hasMethods('embedQuery', 'embedDocuments'),
        'must have embedQuery and embedDocuments',
      )
      .optional(),
    /** Infer output types of untyped functions from their results (types only, never values). */
    inferOutputTypes: z.boolean().default(true),
    /** Also infer for functions whose metadata says `sensitivity: 'sensitive'`. */
    includeSensitiveOutputs: z.boolean().default(false),
    /**
     * Inferred output types keep the results' object keys as property names for every group (`true`) or
     * the groups listed; by default (`false`) only the shape: every client sees the declarations, and a
     * key from one client's result must not reach another (docs/security.md).
     */
    shareInferredOutputs: z.union([z.boolean(), z.array(z.string().min(1))]).default(false),
  })
  .prefault({});

const AuditSchema = z
  .object({
    enabled: z.boolean().default(false),
    sinks: z.array(z.custom<AuditSink>(hasMethods('write'), 'must be an AuditSink (write)')).default([]),
  })
  .prefault({});

const AuthSchema = z
  .object({
    /** HS256 secret for client tokens; falls back to ATP_JWT_SECRET. Required in production. */
    jwtSecret: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Decides who may call `init` (API keys, JWTs…); without one, anyone may. */
    provider: z.custom<AuthProvider>(hasMethods('authenticate'), 'must be an AuthProvider').optional(),
  })
  .prefault({});

const HistorySchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Executions listed per client (the newest). */
    maxExecutions: positiveInt.max(1000).default(50),
    /** Audit trail entries kept per execution (the first and the latest). */
    maxEvents: positiveInt.max(10_000).default(200),
  })
  .prefault({});

/** The engine's configuration: every section is validated once, here, and never changes afterwards. */
export const EngineConfigSchema = z.object({
  execution: ExecutionSettingsSchema,
  clientInit: ClientInitSchema,
  executionState: ExecutionStateSchema,
  discovery: DiscoverySchema,
  /** Output checks and the pagination cap of the catalog (docs/validation.md, docs/pagination.md). */
  catalog: CatalogSettingsSchema,
  /** Plan, then approve once (docs/plans.md). */
  plans: PlansConfigSchema,
  audit: AuditSchema,
  auth: AuthSchema,
  /** Each client's recent executions and audit trails (`GET /api/executions`), kept in the cache provider. */
  history: HistorySchema,
  /** Per-user OAuth for `oauth` API groups: `/oauth/*` routes and fresh credentials (docs/deployment.md). */
  oauth: OAuthConfigSchema.optional(),
  /**
   * System state: sessions, paused state, journals, plans, history, OAuth tokens, quota ledgers, rate
   * limits. Share one (Redis, `maxmemory-policy noeviction`) between instances. Default: in-memory
   * stores with a budget per kind of state that refuse writes when full rather than evict
   * (`createSystemMemoryStore`).
   */
  cache: z
    .custom<CacheProvider>(hasMethods('get', 'set', 'setIfAbsent'), 'must be a CacheProvider')
    .optional(),
  /**
   * `atp.cache` data, kept apart so it can never evict system state. Default: `cache` when one is given
   * (keys under `atp:cache:`; see docs/deployment.md for Redis memory policies), else an in-memory LRU
   * cache of 128 MiB. Per-client quotas apply either way (`quotas.cache`).
   */
  userCache: z
    .custom<CacheProvider>(hasMethods('get', 'set', 'delete'), 'must be a CacheProvider')
    .optional(),
  /** Per-client quotas (docs/security.md). */
  quotas: QuotasConfigSchema,
  /**
   * Where spans and metrics go. Default: the global providers of `@opentelemetry/api` (the host's SDK, or
   * no-ops). `createOtelTelemetry()` from `@agent-tool-protocol/server/otel` starts an OTLP SDK.
   */
  telemetry: z.custom<Telemetry>(isObject, 'must be a Telemetry (tracer, meter, flush, shutdown)').optional(),
  /** `production` refuses to start without a JWT secret. Defaults to NODE_ENV. */
  mode: z.enum(['production', 'development']).optional(),
  /** A pino(-compatible) logger, or `{level}` for the default pino logger. */
  logger: z
    .union([
      z.custom<Logger>(hasMethods('debug', 'info', 'warn', 'error'), 'must be a logger'),
      z.object({ level: z.string().optional() }),
    ])
    .optional(),
  apiGroups: z.array(z.custom<APIGroup>(isObject, 'must be an API group object')).default([]),
  version: z.string().optional(),
});

export type EngineConfigInput = z.input<typeof EngineConfigSchema>;
export type EngineConfig = z.output<typeof EngineConfigSchema>;

/** Validates an engine config once; the error names the bad field. */
export function parseEngineConfig(input: unknown): EngineConfig {
  return parseOrThrow(EngineConfigSchema, input ?? {}, 'engine config');
}
