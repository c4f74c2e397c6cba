import { isIdentifierName, parseOrThrow, ValidationError } from '@agent-tool-protocol/protocol';
import { z } from 'zod';
import type { Logger } from './logger.js';

const groupName = z
  .string()
  .refine(
    isIdentifierName,
    'must be a JavaScript identifier (it becomes api.<name>), e.g. "github" or "fs_local"',
  );

const common = {
  name: groupName,
  /** Shown to agents as the group description; defaults to the server's `instructions`. */
  description: z.string().optional(),
  /** Per-call timeout for this server, overriding the connector's `callTimeoutMs`. */
  callTimeoutMs: z.number().int().positive().optional(),
};

export const StdioServerConfigSchema = z.strictObject({
  ...common,
  command: z.string().min(1, 'must not be empty'),
  args: z.array(z.string()).default([]),
  /**
   * Added to what the server inherits (HOME, PATH, proxy and CA variables: `INHERITED_ENV_VARS`); the
   * parent's other variables (API keys, tokens) are NOT inherited.
   */
  env: z.record(z.string(), z.string()).optional(),
  cwd: z.string().min(1).optional(),
});

export const HTTPServerConfigSchema = z.strictObject({
  ...common,
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  headers: z.record(z.string(), z.string()).optional(),
  /** `auto` tries Streamable HTTP and falls back to SSE when the server rejects it. */
  transport: z.enum(['auto', 'streamable-http', 'sse']).default('auto'),
});

export type StdioServerConfig = z.input<typeof StdioServerConfigSchema>;
export type HTTPServerConfig = z.input<typeof HTTPServerConfigSchema>;
export type MCPServerConfig = StdioServerConfig | HTTPServerConfig;

export type ResolvedStdioConfig = z.output<typeof StdioServerConfigSchema>;
export type ResolvedHTTPConfig = z.output<typeof HTTPServerConfigSchema>;
export type ResolvedServerConfig = ResolvedStdioConfig | ResolvedHTTPConfig;

export function isStdioConfig(config: ResolvedServerConfig): config is ResolvedStdioConfig {
  return 'command' in config;
}

/** Validates a server config; the message names every bad field (`server config: url: …`). */
export function parseServerConfig(config: unknown): ResolvedServerConfig {
  if (typeof config !== 'object' || config === null) {
    throw new ValidationError('Invalid MCP server config: expected an object with `command` or `url`', [
      { path: '', message: 'expected an object' },
    ]);
  }
  if ('command' in config) return parseOrThrow(StdioServerConfigSchema, config, 'MCP server config (stdio)');
  if ('url' in config) return parseOrThrow(HTTPServerConfigSchema, config, 'MCP server config (HTTP)');
  throw new ValidationError(
    'Invalid MCP server config: set `command` (a stdio server) or `url` (a Streamable HTTP / SSE server)',
    [{ path: 'command', message: 'either `command` or `url` is required' }],
  );
}

export const RestartPolicySchema = z.strictObject({
  /** Delay before the first restart; doubles after each failed attempt. */
  initialDelayMs: z.number().int().nonnegative().default(200),
  maxDelayMs: z.number().int().positive().default(10_000),
  /** Consecutive failed restarts after which the server is given up (calls then fail at once). */
  maxAttempts: z.number().int().nonnegative().default(8),
});

export const ConnectorOptionsSchema = z.strictObject({
  logger: z
    .custom<Logger>((value) => typeof value === 'object' && value !== null, 'must be a logger')
    .optional(),
  /** Default timeout of one `tools/call`. */
  callTimeoutMs: z.number().int().positive().default(60_000),
  /** Timeout of the initialize handshake and of each `tools/list` page. */
  connectTimeoutMs: z.number().int().positive().default(30_000),
  /** How long a stdio server may take to exit after its stdin closes before it is signalled. */
  shutdownGraceMs: z.number().int().nonnegative().default(2_000),
  restart: RestartPolicySchema.default({ initialDelayMs: 200, maxDelayMs: 10_000, maxAttempts: 8 }),
  clientInfo: z.strictObject({ name: z.string(), version: z.string() }).default({
    name: 'agent-tool-protocol',
    version: '0.1.0',
  }),
});

export type MCPConnectorOptions = z.input<typeof ConnectorOptionsSchema>;
export type ResolvedConnectorOptions = z.output<typeof ConnectorOptionsSchema>;
export type RestartPolicy = z.output<typeof RestartPolicySchema>;

export function parseConnectorOptions(options: unknown): ResolvedConnectorOptions {
  return parseOrThrow(ConnectorOptionsSchema, options ?? {}, 'MCPConnector options');
}
