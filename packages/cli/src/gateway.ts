import { join } from 'node:path';
import { loadGraphQL } from '@agent-tool-protocol/graphql';
import {
  type ATPMCPHTTPHandler,
  type ATPMCPHTTPOptions,
  createATPMCPHTTPHandler,
  MCPConnector,
} from '@agent-tool-protocol/mcp-adapter';
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import {
  type APIGroup,
  type AuditSink,
  type AuthProvider,
  type CacheProvider,
  childLogger,
  type Logger,
  type OAuthProvider,
} from '@agent-tool-protocol/protocol';
import { JSONLAuditSink, RedisCache } from '@agent-tool-protocol/providers';
import {
  type AgentToolProtocolServer,
  createServer,
  type ServerConfigInput,
  ServerConfigSchema,
  type Telemetry,
} from '@agent-tool-protocol/server';
import { Redis } from 'ioredis';
import { buildAuthProvider } from './auth.js';
import type { ATPConfig, GraphQLEntry, MCPEntry, OpenAPIEntry } from './config-schema.js';
import { configError, errorMessage, startupError } from './errors.js';
import { mountInspector } from './inspector.js';
import { buildOAuthProviders } from './oauth.js';
import { buildPolicies } from './policies.js';
import { type Progress, silentProgress } from './progress.js';
import { readRulesFile } from './rules-file.js';
import { detectServerFeatures, type ServerFeatures } from './server-features.js';

export interface GroupSummary {
  name: string;
  kind: 'openapi' | 'graphql' | 'mcp';
  functions: number;
  /** The spec path/URL, the GraphQL endpoint or schema file, or the MCP command/URL. */
  source: string;
}

export interface BuildGatewayOptions {
  /** A pino logger for the server, loaders and MCP connections (default: silent). */
  logger?: Logger;
  /** Startup progress (default: none). */
  progress?: Progress;
}

export interface Gateway {
  server: AgentToolProtocolServer;
  connector: MCPConnector;
  groups: GroupSummary[];
  /** Config that was validated but is not acted on (yet), one sentence each. */
  warnings: string[];
  /** Where the ATP Inspector page is served (`inspector: true` / `--inspector`), if it is. */
  inspectorPath: string | undefined;
  /** ATP over MCP Streamable HTTP, mounted at `config.server.mcpPath` (absent when turned off). */
  mcpHandler: ATPMCPHTTPHandler | undefined;
  /** Starts listening on `config.server.port`/`host`; resolves with the URL. */
  listen(): Promise<string>;
  /** Stops the server, every MCP server process and the cache; safe to call twice. */
  close(): Promise<void>;
}

/** Builds an ATP server with every API group the config declares. Nothing listens until `listen()`. */
export async function buildGateway(config: ATPConfig, options: BuildGatewayOptions = {}): Promise<Gateway> {
  const progress = options.progress ?? silentProgress;
  const logger = options.logger;
  const features = detectServerFeatures();
  const warnings = await notWiredWarnings(config, features);
  const oauthProviders = config.oauth ? buildOAuthProviders(config.oauth.providers) : [];

  const auditSinks: AuditSink[] = config.audit
    ? [
        new JSONLAuditSink({
          path: join(config.audit.dir, config.audit.file ?? 'audit.jsonl'),
          ...(config.audit.rotateDaily !== undefined ? { rotateDaily: config.audit.rotateDaily } : {}),
          ...(config.audit.maxSizeBytes !== undefined ? { maxSizeBytes: config.audit.maxSizeBytes } : {}),
          ...(config.audit.arguments ? { redact: { arguments: config.audit.arguments } } : {}),
          ...(logger ? { logger } : {}),
        }),
      ]
    : [];
  const connector = new MCPConnector({ ...config.mcpOptions, ...(logger ? { logger } : {}) });
  let server: AgentToolProtocolServer | undefined;
  let cache: RedisCache | undefined;
  let limiterRedis: Redis | undefined;
  let closed = false;
  let mcpHandler: ATPMCPHTTPHandler | undefined;
  const close = async () => {
    if (closed) return;
    closed = true;
    progress.stop();
    await mcpHandler?.close();
    await Promise.allSettled([server?.shutdown(5_000), connector.close()]);
    await cache?.close();
    limiterRedis?.disconnect();
  };

  try {
    const authProvider = config.auth ? buildAuthProvider(config.auth) : undefined;
    if (config.redis) {
      cache = new RedisCache({
        redis: config.redis.url,
        ...(config.redis.keyPrefix !== undefined ? { keyPrefix: config.redis.keyPrefix } : {}),
        ...(config.redis.defaultTTL !== undefined ? { defaultTTL: config.redis.defaultTTL } : {}),
        ...(logger ? { logger } : {}),
      });
      const task = progress.start(`connecting to Redis`);
      if (!(await cache.ping())) {
        task.fail('Redis is unreachable');
        throw startupError(`redis: cannot reach Redis at ${redactUrl(config.redis.url)}; is it running?`);
      }
      task.succeed('Redis connected');
    }
    const built = createServerFromConfig(config, {
      sinks: auditSinks,
      logger,
      features,
      oauthProviders,
      cache,
      authProvider,
      telemetry: await otelTelemetryOf(config.server),
    });
    server = built;
    const engine = built.engine;
    const loaded = await Promise.allSettled([
      ...config.openapi.map((entry) => loadSpec(entry, progress, logger)),
      ...config.graphql.map((entry) => loadGraphQLEntry(entry, progress, logger)),
      ...config.mcp.map((entry) => startMCPServer(connector, entry, progress)),
    ]);
    const failures = loaded.filter((result) => result.status === 'rejected').map((result) => result.reason);
    if (failures.length > 0) {
      throw failures.length === 1
        ? failures[0]
        : startupError(failures.map((failure) => errorMessage(failure)).join('\n'), failures[0]);
    }
    const groups: GroupSummary[] = [];
    for (const result of loaded) {
      if (result.status !== 'fulfilled') continue;
      engine.addAPIGroup(result.value.group);
      groups.push(result.value.summary);
    }
    connector.onToolsChanged((group) => engine.catalog.replaceGroup(group));
    if (config.server.mcpPath !== false) {
      if (config.redis) limiterRedis = limiterClient(config.redis.url, logger);
      mcpHandler = createATPMCPHTTPHandler(
        engine,
        mcpOptions(config, {
          logger,
          authProvider,
          redis: limiterRedis,
          clientAddress: (req) => built.clientAddress(req),
        }),
      );
      built.mount(config.server.mcpPath, mcpHandler);
    }
    const inspectorPath = await mountInspector(server, config, warnings);
    return {
      server: built,
      connector,
      groups,
      warnings,
      inspectorPath,
      mcpHandler,
      listen: () => listen(built, config.server.port, config.server.host),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * How `/mcp` is served: authenticated like `/api` (client tokens, and the `auth` section's credentials)
 * unless `server.mcpAnonymous`; new sessions limited like init (`server.clientInit`), in Redis when
 * configured so the limit holds across instances.
 */
function mcpOptions(
  config: ATPConfig,
  parts: {
    logger: Logger | undefined;
    authProvider: AuthProvider | undefined;
    redis: Redis | undefined;
    /** The server's answer (`server.http.trustProxy`), so `/mcp` believes the same proxies as `/api`. */
    clientAddress: NonNullable<ATPMCPHTTPOptions['clientAddress']>;
  },
): ATPMCPHTTPOptions {
  const clientInit = (config.server.clientInit ?? {}) as {
    maxInitsPerMinute?: number;
    maxInitsPerMinutePerIp?: number;
  };
  return {
    name: 'atp',
    allowAnonymous: config.server.mcpAnonymous,
    clientAddress: parts.clientAddress,
    ...(parts.authProvider ? { authProvider: parts.authProvider } : {}),
    rateLimit: {
      ...(clientInit.maxInitsPerMinute !== undefined
        ? { maxInitsPerMinute: clientInit.maxInitsPerMinute }
        : {}),
      ...(clientInit.maxInitsPerMinutePerIp !== undefined
        ? { maxInitsPerMinutePerIp: clientInit.maxInitsPerMinutePerIp }
        : {}),
      ...(parts.redis ? { redis: parts.redis } : {}),
      ...(config.redis?.keyPrefix ? { keyPrefix: `${config.redis.keyPrefix}ratelimit:mcp-init` } : {}),
    },
    ...(parts.logger ? { logger: parts.logger } : {}),
  };
}

/** A Redis connection for the MCP rate limiter; while it is down the limiter counts in memory. */
function limiterClient(url: string, logger: Logger | undefined): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', (error: Error) => logger?.debug({ err: error }, 'MCP rate limiter: Redis error'));
  return redis;
}

interface ServerParts {
  sinks: AuditSink[];
  logger: Logger | undefined;
  features: ServerFeatures;
  oauthProviders: OAuthProvider[];
  cache: CacheProvider | undefined;
  authProvider: AuthProvider | undefined;
  telemetry: Telemetry | undefined;
}

/**
 * `server.otel.enabled`: the OpenTelemetry SDK from the server's opt-in entry, loaded only then. The
 * server would load it itself at `listen()`, but the gateway builds the engine before listening.
 */
async function otelTelemetryOf(settings: ATPConfig['server']): Promise<Telemetry | undefined> {
  const otel = settings.otel as { enabled?: unknown } | undefined;
  if (otel?.enabled !== true) return undefined;
  const parsed = ServerConfigSchema.shape.otel.safeParse(otel);
  if (!parsed.success) return undefined; // createServer names the bad field
  const { createOtelTelemetry } = await import('@agent-tool-protocol/server/otel');
  return createOtelTelemetry({
    ...parsed.data,
    ...(settings.version ? { serviceVersion: settings.version } : {}),
  });
}

/** The server with its engine built, so every config problem surfaces here, as a config error. */
function createServerFromConfig(config: ATPConfig, parts: ServerParts): AgentToolProtocolServer {
  try {
    const server = createServer(serverConfigOf(config, parts));
    void server.engine;
    return server;
  } catch (error) {
    // The server names its own fields; say where they live in the config file.
    const message = errorMessage(error).replaceAll('auth.jwtSecret', 'server.jwtSecret');
    throw configError(message, [], error);
  }
}

function serverConfigOf(config: ATPConfig, parts: ServerParts): ServerConfigInput {
  const { provenance, oauth } = config;
  const { sinks, logger, features, cache, authProvider, telemetry } = parts;
  const {
    port: _port,
    host: _host,
    mode,
    jwtSecret,
    logLevel: _logLevel,
    version,
    mcpPath: _mcpPath,
    mcpAnonymous: _mcpAnonymous,
    ...sections
  } = config.server;
  const execution: Record<string, unknown> = {
    ...(sections.execution as Record<string, unknown> | undefined),
  };
  if (provenance) {
    execution.provenanceMode = provenance.mode;
    execution.securityPolicies = buildPolicies(provenance.policies);
  }
  if (config.rules && features.securityLayer) execution.rules = config.rules;
  const serverConfig: Record<string, unknown> = {
    ...sections,
    ...(mode ? { mode } : {}),
    ...(version ? { version } : {}),
    auth: { ...(jwtSecret ? { jwtSecret } : {}), ...(authProvider ? { provider: authProvider } : {}) },
    ...(cache ? { cache } : {}),
    ...(telemetry ? { telemetry } : {}),
    execution,
    audit: { enabled: sinks.length > 0, sinks },
    logger: logger ?? { level: 'silent' },
  };
  if (oauth && features.oauth) {
    const { providers: _declared, ...settings } = oauth;
    serverConfig.oauth = { ...settings, providers: parts.oauthProviders };
  }
  return serverConfig as ServerConfigInput;
}

/** One sentence per setting that was validated but that the installed server cannot act on. */
async function notWiredWarnings(config: ATPConfig, features: ServerFeatures): Promise<string[]> {
  const warnings: string[] = [];
  if (config.rules) {
    await readRulesFile(config.rules);
    if (!features.securityLayer) {
      warnings.push(
        `rules: ${config.rules} is valid YAML but not wired: this server version has no execution.rules`,
      );
    }
  }
  const provenance = config.provenance;
  if (
    !features.securityLayer &&
    provenance &&
    (provenance.mode !== 'none' || provenance.policies.length > 0)
  ) {
    warnings.push('provenance: mode and policies are accepted but not enforced by this server version');
  }
  for (const entry of config.graphql) {
    if (entry.url === undefined) {
      warnings.push(
        `graphql "${entry.name}": no url, so its functions cannot be called; add the endpoint (url, or --graphql ${entry.name}=<file>,<url>)`,
      );
    }
  }
  if (config.oauth && !features.oauth) {
    warnings.push('oauth: providers are valid but not wired: this server version has no oauth config');
  }
  return warnings;
}

async function loadSpec(
  entry: OpenAPIEntry,
  progress: Progress,
  logger: Logger | undefined,
): Promise<{ group: APIGroup; summary: GroupSummary }> {
  const source = entry.path ?? entry.url ?? '';
  const task = progress.start(`loading OpenAPI "${entry.name}" from ${source}`);
  try {
    const group = await loadOpenAPI({
      ...entry,
      ...(logger ? { logger: childLogger(logger, { openapi: entry.name }) } : {}),
    });
    task.succeed(`OpenAPI "${entry.name}": ${group.functions.length} functions`);
    return {
      group,
      summary: { name: entry.name, kind: 'openapi', functions: group.functions.length, source },
    };
  } catch (error) {
    task.fail(`OpenAPI "${entry.name}" failed`);
    throw startupError(`openapi "${entry.name}": ${errorMessage(error)}`, error);
  }
}

async function loadGraphQLEntry(
  entry: GraphQLEntry,
  progress: Progress,
  logger: Logger | undefined,
): Promise<{ group: APIGroup; summary: GroupSummary }> {
  const source = entry.path ?? entry.url ?? '';
  const task = progress.start(`loading GraphQL "${entry.name}" from ${source}`);
  try {
    const group = await loadGraphQL({
      ...entry,
      ...(logger ? { logger: childLogger(logger, { graphql: entry.name }) } : {}),
    });
    task.succeed(`GraphQL "${entry.name}": ${group.functions.length} functions`);
    return {
      group,
      summary: { name: entry.name, kind: 'graphql', functions: group.functions.length, source },
    };
  } catch (error) {
    task.fail(`GraphQL "${entry.name}" failed`);
    throw startupError(`graphql "${entry.name}": ${errorMessage(error)}`, error);
  }
}

async function startMCPServer(
  connector: MCPConnector,
  entry: MCPEntry,
  progress: Progress,
): Promise<{ group: APIGroup; summary: GroupSummary }> {
  const source = 'command' in entry ? [entry.command, ...entry.args].join(' ') : entry.url;
  const task = progress.start(`starting MCP "${entry.name}" (${source})`);
  try {
    const group = await connector.connectToMCPServer(entry);
    task.succeed(`MCP "${entry.name}": ${group.functions.length} tools`);
    return { group, summary: { name: entry.name, kind: 'mcp', functions: group.functions.length, source } };
  } catch (error) {
    task.fail(`MCP "${entry.name}" failed`);
    throw startupError(`mcp "${entry.name}": ${errorMessage(error)}`, error);
  }
}

async function listen(server: AgentToolProtocolServer, port: number, host: string): Promise<string> {
  try {
    await server.listen(port, host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw startupError(`port ${port} is in use; pick another with --port`, error);
    if (code === 'EACCES')
      throw startupError(`port ${port} needs privileges; pick one above 1023 with --port`, error);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw startupError(
        `cannot listen on host ${host}: ${errorMessage(error)}; pick another with --host`,
        error,
      );
    }
    throw startupError(`cannot listen on ${host}:${port}: ${errorMessage(error)}`, error);
  }
  return server.url ?? `http://${host}:${port}`;
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
