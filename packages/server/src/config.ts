import { EngineConfigSchema } from '@agent-tool-protocol/engine';
import { parseOrThrow } from '@agent-tool-protocol/protocol';
import { z } from 'zod';
import { compileTrust } from './http/client-address.js';

const positiveInt = z.number().int().positive();

/** `otel`: with `enabled`, the server starts the SDK of `@agent-tool-protocol/server/otel` at `listen()`. */
const OtelSchema = z
  .looseObject({
    enabled: z.boolean().default(false),
    serviceName: z.string().default('atp-server'),
    traceEndpoint: z.string().optional(),
    metricsEndpoint: z.string().optional(),
    /** How often the server's own SDK pushes metrics, in ms (also pushed at shutdown). */
    metricsIntervalMs: positiveInt.default(60_000),
  })
  .prefault({});

const HTTPSchema = z
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
    /**
     * Which proxies in front of the server are believed about the client's address (`X-Forwarded-For`,
     * also `-Proto`/`-Host`): `false` (default) none, `true` all, a number of hops, or the proxies'
     * addresses/subnets (`'loopback'`, `'10.0.0.0/8'`). Used for auth providers, init rate limits,
     * `req.ip` and `server.clientAddress(req)` alike.
     */
    trustProxy: z
      .union([z.boolean(), z.number().int().min(0), z.string().min(1), z.array(z.string().min(1))])
      .default(false)
      .superRefine((value, context) => {
        try {
          compileTrust(value);
        } catch (error) {
          context.addIssue({
            code: 'custom',
            message: `not an address or subnet: ${(error as Error).message}`,
          });
        }
      }),
    /** Paths the express app is mounted under when used with `handler()` (informational). */
    basePath: z.string().default(''),
  })
  .prefault({});

/** The ATP Inspector page (package `@agent-tool-protocol/inspector`, docs/inspector.md). */
const InspectorSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** In production mode an enabled inspector is ignored (with a warning) unless this is true. */
    allowInProduction: z.boolean().default(false),
  })
  .prefault({});

/** `createServer(config)`: the engine's config plus what belongs to HTTP and the process. */
export const ServerConfigSchema = EngineConfigSchema.extend({
  otel: OtelSchema,
  http: HTTPSchema,
  inspector: InspectorSchema,
});

/**
 * What `createServer(config)` takes: every field optional, as in the original ATP README's
 * `interface ServerConfig`.
 */
export type ServerConfig = z.input<typeof ServerConfigSchema>;
/** The same as `ServerConfig` (the name this type had before `ServerConfig` became the input). */
export type ServerConfigInput = ServerConfig;
/** The validated config with every default filled in (what `parseServerConfig` returns). */
export type ResolvedServerConfig = z.output<typeof ServerConfigSchema>;

export function parseServerConfig(input: unknown): ResolvedServerConfig {
  return parseOrThrow(ServerConfigSchema, input ?? {}, 'server config');
}
