import { createSecretRedactor } from '@agent-tool-protocol/protocol';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { McpError, ErrorCode as McpErrorCode } from '@modelcontextprotocol/sdk/types.js';
import {
  isStdioConfig,
  type ResolvedConnectorOptions,
  type ResolvedHTTPConfig,
  type ResolvedServerConfig,
} from './config.js';
import { errorMessage } from './errors.js';
import type { Logger } from './logger.js';
import { configSecrets } from './secrets.js';
import { ProcessGroupStdioTransport } from './stdio-transport.js';

export type TransportKind = 'stdio' | 'streamable-http' | 'sse';

export interface OpenedClient {
  client: Client;
  transport: Transport;
  kind: TransportKind;
}

/** Called on the fresh client before `connect`, so no early notification is missed. */
export type ClientSetup = (client: Client) => void;

async function connectWith(
  transport: Transport,
  kind: TransportKind,
  options: ResolvedConnectorOptions,
  setup: ClientSetup,
): Promise<OpenedClient> {
  const client = new Client(options.clientInfo, { capabilities: {} });
  setup(client);
  try {
    await client.connect(transport, { timeout: options.connectTimeoutMs });
  } catch (error) {
    await client.close().catch(() => {});
    await transport.close().catch(() => {});
    throw error;
  }
  return { client, transport, kind };
}

/**
 * Redirects are followed only within the server's origin (the SDK's `same-origin` policy, set here so it
 * does not depend on the SDK default): a server cannot steer the connector, and the configured headers,
 * to an internal address.
 */
function httpTransport(config: ResolvedHTTPConfig, kind: 'streamable-http' | 'sse'): Transport {
  const url = new URL(config.url);
  const requestInit: RequestInit | undefined = config.headers ? { headers: config.headers } : undefined;
  const options = { requestInit, redirectPolicy: 'same-origin' as const };
  return kind === 'sse'
    ? new SSEClientTransport(url, options)
    : new StreamableHTTPClientTransport(url, options);
}

/**
 * Opens a connected, initialized client for `config`. HTTP in `auto` mode tries Streamable HTTP
 * first and falls back to the older HTTP+SSE transport when that fails.
 */
export async function openClient(
  config: ResolvedServerConfig,
  options: ResolvedConnectorOptions,
  logger: Logger,
  setup: ClientSetup,
): Promise<OpenedClient> {
  if (isStdioConfig(config)) {
    const transport = new ProcessGroupStdioTransport({
      command: config.command,
      args: config.args,
      env: config.env,
      cwd: config.cwd,
      shutdownGraceMs: options.shutdownGraceMs,
      logger,
      serverName: config.name,
      redact: createSecretRedactor(configSecrets(config)).redact,
    });
    try {
      return await connectWith(transport, 'stdio', options, setup);
    } catch (error) {
      throw stdioStartupError(error, config.command, transport, options.connectTimeoutMs);
    }
  }
  if (config.transport !== 'auto') {
    return connectWith(httpTransport(config, config.transport), config.transport, options, setup);
  }
  try {
    return await connectWith(httpTransport(config, 'streamable-http'), 'streamable-http', options, setup);
  } catch (streamableError) {
    logger.debug(
      { mcpServer: config.name, error: errorMessage(streamableError) },
      'Streamable HTTP failed; trying SSE',
    );
    try {
      return await connectWith(httpTransport(config, 'sse'), 'sse', options, setup);
    } catch (sseError) {
      throw new Error(
        `Streamable HTTP failed (${errorMessage(streamableError)}) and SSE failed (${errorMessage(sseError)})`,
        { cause: sseError },
      );
    }
  }
}

/**
 * Says why a stdio server did not come up, with what it wrote to stderr: the SDK alone reports a bare
 * "Connection closed" (the process died) or "Request timed out" (it never answered).
 */
function stdioStartupError(
  error: unknown,
  command: string,
  transport: ProcessGroupStdioTransport,
  timeoutMs: number,
): Error {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
    return new Error(`command "${command}" was not found (is it installed and on PATH?)`, { cause: error });
  }
  let reason = errorMessage(error);
  if (error instanceof McpError && error.code === McpErrorCode.RequestTimeout) {
    reason = `it did not answer the MCP initialize request within ${timeoutMs} ms`;
  } else if (error instanceof McpError && error.code === McpErrorCode.ConnectionClosed) {
    reason = 'it closed the connection before answering the MCP initialize request';
  }
  return new Error(`${reason}; ${transport.describeProcess()}`, { cause: error });
}
