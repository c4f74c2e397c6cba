import { type AuthProvider, parseOrThrow } from '@agent-tool-protocol/protocol';
import { z } from 'zod';
import type { HTTPRequest } from './http-io.js';
import { type ATPMCPServerOptions, ATPMCPServerOptionsSchema } from './options.js';

export interface ATPMCPRateLimitOptions {
  /** New sessions (initialize requests) accepted per minute from all addresses together (default 6000). */
  maxInitsPerMinute?: number;
  /** New sessions accepted per minute from one client address (default 600). */
  maxInitsPerMinutePerIp?: number;
  /**
   * An ioredis (or node-redis) client: the counts then live in Redis and hold across every instance
   * sharing it. While Redis is unreachable each instance counts in memory. Default: in memory.
   */
  redis?: unknown;
  /** Prefix of the Redis keys (default `atp:ratelimit:mcp-init`). */
  keyPrefix?: string;
}

export interface ATPMCPHTTPOptions extends ATPMCPServerOptions {
  /**
   * Serve without asking for credentials: anyone who reaches the endpoint can run code. For local use
   * (a loopback-only `atp serve`, development). Default false.
   */
  allowAnonymous?: boolean;
  /**
   * Decides credentials other than client tokens (API keys, JWTs), as for `/api/init`. Default: the
   * engine's (`engine.getAuthProvider()`), when it has one.
   */
  authProvider?: AuthProvider;
  /** An extra check before everything else; return false to answer 401. */
  authorize?: (req: HTTPRequest) => boolean | Promise<boolean>;
  /**
   * The caller's address, for rate limits and the auth provider. Default: the socket's peer address.
   * `X-Forwarded-For` is never read here: a host behind a trusted proxy passes a function that does.
   */
  clientAddress?: (req: HTTPRequest) => string | undefined;
  /** Limits on new sessions per minute (in memory, or in Redis); `false` turns them off. */
  rateLimit?: ATPMCPRateLimitOptions | false;
  /** Open sessions on this handler (default 1000); beyond it, initialize gets 503. */
  maxSessions?: number;
  /** Open sessions per client (default 20); one more closes that client's least recently used idle one. */
  maxSessionsPerClient?: number;
  /** A session without requests for this long is closed (default 30 minutes). */
  sessionIdleTimeoutMs?: number;
  /** DNS-rebinding protection: only these `Host` values are served (403 otherwise). */
  allowedHosts?: string[];
  /** Requests that carry an `Origin` header must carry one of these (403 otherwise). */
  allowedOrigins?: string[];
}

const fn = <T>(what: string) =>
  z.custom<T>((value) => typeof value === 'function', `${what} must be a function`);
const positiveInt = z.number().int().positive();

const RateLimitSchema = z.strictObject({
  maxInitsPerMinute: positiveInt.default(6000),
  maxInitsPerMinutePerIp: positiveInt.default(600),
  redis: z
    .custom<unknown>((value) => typeof value === 'object' && value !== null, 'must be a Redis client')
    .optional(),
  keyPrefix: z.string().min(1).default('atp:ratelimit:mcp-init'),
});

const HttpOnlySchema = z.strictObject({
  allowAnonymous: z.boolean().default(false),
  authProvider: z
    .custom<AuthProvider>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as { authenticate?: unknown }).authenticate === 'function',
      'must be an AuthProvider (an object with authenticate(request))',
    )
    .optional(),
  authorize: fn<ATPMCPHTTPOptions['authorize']>('authorize').optional(),
  clientAddress: fn<NonNullable<ATPMCPHTTPOptions['clientAddress']>>('clientAddress').optional(),
  rateLimit: z.union([z.literal(false), RateLimitSchema]).prefault({}),
  maxSessions: positiveInt.default(1000),
  maxSessionsPerClient: positiveInt.default(20),
  sessionIdleTimeoutMs: positiveInt.default(30 * 60_000),
  allowedHosts: z.array(z.string().min(1)).optional(),
  allowedOrigins: z.array(z.string().min(1)).optional(),
});

export type ResolvedHttpOptions = z.output<typeof HttpOnlySchema>;

const HTTP_KEYS = new Set(Object.keys(HttpOnlySchema.shape));

/** Splits and validates the options: the HTTP ones resolved with defaults, the MCP server ones as given. */
export function parseHttpOptions(options: ATPMCPHTTPOptions): {
  http: ResolvedHttpOptions;
  server: ATPMCPServerOptions;
} {
  const http: Record<string, unknown> = {};
  const server: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) (HTTP_KEYS.has(key) ? http : server)[key] = value;
  parseOrThrow(ATPMCPServerOptionsSchema, server, 'ATP MCP HTTP options');
  return {
    http: parseOrThrow(HttpOnlySchema, http, 'ATP MCP HTTP options'),
    server: server as ATPMCPServerOptions,
  };
}
