import { join } from 'node:path';
import {
  type ATPMcpHttpHandler,
  createATPMcpHttpHandler,
  MCPConnector,
} from '@agent-tool-protocol/mcp-adapter';
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import type { APIGroup, AuditSink } from '@agent-tool-protocol/protocol';
import { JSONLAuditSink, RedisCache } from '@agent-tool-protocol/providers';
import {
  type AgentToolProtocolServer,
  createServer,
  type ServerConfigInput,
} from '@agent-tool-protocol/server';
import type { Logger } from 'pino';
import { buildAuthProvider } from './auth.js';
import type { AtpConfig, McpEntry, OpenAPIEntry } from './config-schema.js';
import { errorMessage, startupError } from './errors.js';
import { buildOAuthProviders } from './oauth.js';
import { type Progress, silentProgress } from './progress.js';
import { readRulesFile } from './rules-file.js';

export interface GroupSummary {
  name: string;
  kind: 'openapi' | 'mcp';
  functions: number;
  /** The spec path/URL or the MCP command/URL. */
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
  /** ATP over MCP Streamable HTTP, mounted at `config.server.mcpPath` (absent when turned off). */
  mcpHandler: ATPMcpHttpHandler | undefined;
  /** Starts listening on `config.server.port`/`host`; resolves with the URL. */
  listen(): Promise<string>;
  /** Stops the server, every MCP server process and the cache; safe to call twice. */
  close(): Promise<void>;
}

/** Builds an ATP server with every API group the config declares. Nothing listens until `listen()`. */
export async function buildGateway(config: AtpConfig, options: BuildGatewayOptions = {}): Promise<Gateway> {
  const progress = options.progress ?? silentProgress;
  const logger = options.logger;
  const warnings: string[] = [];
  if (config.rules) {
    await readRulesFile(config.rules);
    warnings.push(
      `rules: ${config.rules} is valid YAML but not yet wired: the server config has no execution.rules yet`,
    );
  }
  if (config.oauth) {
    const providers = buildOAuthProviders(config.oauth.providers);
    warnings.push(
      `oauth: providers ${providers.map((provider) => provider.name).join(', ')} are valid but not yet wired: the server has no /oauth routes yet`,
    );
  }
  if (config.provenance && (config.provenance.mode !== 'none' || config.provenance.policies.length > 0)) {
    warnings.push(
      'provenance: mode and policies are passed to the server (execution.provenanceMode / securityPolicies), which accepts them but does not enforce them until the provenance package is wired in',
    );
  }

  const cache = config.redis
    ? new RedisCache({
        redis: config.redis.url,
        ...(config.redis.keyPrefix !== undefined ? { keyPrefix: config.redis.keyPrefix } : {}),
        ...(config.redis.defaultTTL !== undefined ? { defaultTTL: config.redis.defaultTTL } : {}),
        ...(logger ? { logger } : {}),
      })
    : undefined;
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
  const server = createServer(serverConfigOf(config, auditSinks, logger));
  if (config.auth) server.setAuthProvider(buildAuthProvider(config.auth));
  let closed = false;
  let mcpHandler: ATPMcpHttpHandler | undefined;
  const close = async () => {
    if (closed) return;
    closed = true;
    progress.stop();
    await mcpHandler?.close();
    await Promise.allSettled([server.shutdown(5_000), connector.close()]);
    await cache?.close();
  };

  try {
    if (cache) {
      const task = progress.start(`connecting to Redis`);
      if (!(await cache.ping())) {
        task.fail('Redis is unreachable');
        throw startupError(
          `redis: cannot reach Redis at ${redactUrl(config.redis?.url ?? '')}; is it running?`,
        );
      }
      task.succeed('Redis connected');
      server.setCacheProvider(cache);
    }
    const loaded = await Promise.allSettled([
      ...config.openapi.map((entry) => loadSpec(entry, progress, logger)),
      ...config.mcp.map((entry) => startMcpServer(connector, entry, progress)),
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
      server.addAPIGroup(result.value.group);
      groups.push(result.value.summary);
    }
    connector.onToolsChanged((group) => server.engine.catalog.replaceGroup(group));
    if (config.server.mcpPath !== false) {
      mcpHandler = createATPMcpHttpHandler(server.engine, { name: 'atp', ...(logger ? { logger } : {}) });
      server.mount(config.server.mcpPath, mcpHandler);
    }
    return {
      server,
      connector,
      groups,
      warnings,
      mcpHandler,
      listen: () => listen(server, config.server.port, config.server.host),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function serverConfigOf(
  config: AtpConfig,
  sinks: AuditSink[],
  logger: Logger | undefined,
): ServerConfigInput {
  const { server } = config;
  return {
    ...(server.mode ? { mode: server.mode } : {}),
    ...(server.version ? { version: server.version } : {}),
    ...(server.jwtSecret ? { auth: { jwtSecret: server.jwtSecret } } : {}),
    execution: {
      ...server.execution,
      ...(config.provenance
        ? { provenanceMode: config.provenance.mode, securityPolicies: config.provenance.policies }
        : {}),
    },
    ...(server.clientInit ? { clientInit: server.clientInit } : {}),
    ...(server.executionState ? { executionState: server.executionState } : {}),
    ...(server.http ? { http: server.http } : {}),
    ...(server.otel ? { otel: server.otel } : {}),
    audit: { enabled: sinks.length > 0, sinks },
    logger: logger ?? { level: 'silent' },
  };
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
      ...(logger ? { logger: logger.child({ openapi: entry.name }) } : {}),
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

async function startMcpServer(
  connector: MCPConnector,
  entry: McpEntry,
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
