import {
  type APIGroup,
  createSecretRedactor,
  ErrorCode,
  type FunctionCallContext,
  isATPError,
  type SecretRedactor,
  ToolCallError,
} from '@agent-tool-protocol/protocol';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  McpError,
  ErrorCode as McpErrorCode,
  type Tool,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { isStdioConfig, type ResolvedConnectorOptions, type ResolvedServerConfig } from './config.js';
import { errorMessage, MCPUnavailableError } from './errors.js';
import { buildGroup } from './group.js';
import { listAllTools } from './list-tools.js';
import type { Logger } from './logger.js';
import { type OpenedClient, openClient, type TransportKind } from './open-client.js';
import { mapToolResult } from './result.js';
import { configSecrets } from './secrets.js';
import { ProcessGroupStdioTransport } from './stdio-transport.js';

/**
 * A Streamable HTTP server that forgot our session (it restarted, or expired it) answers 404 per
 * the spec; some servers (server-everything among them) answer 400 with a message about the session.
 */
function isSessionLost(error: unknown): boolean {
  if (!(error instanceof StreamableHTTPError)) return false;
  return error.code === 404 || (error.code === 400 && /session/i.test(error.message));
}

export type ConnectionState = 'connecting' | 'ready' | 'restarting' | 'failed' | 'closed';

export interface MCPServerStatus {
  name: string;
  transport: TransportKind | undefined;
  state: ConnectionState;
  /** PID of the stdio server process (the leader of its process group). */
  pid: number | undefined;
  /** Successful restarts after crashes. */
  restarts: number;
  toolCount: number;
  serverInfo: { name: string; version: string } | undefined;
}

export interface ToolCallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** One MCP server: its client, its tool list, its restarts after a crash, its shutdown. */
export class MCPServerConnection {
  private opened: OpenedClient | undefined;
  private transportKind: TransportKind | undefined;
  private state: ConnectionState = 'connecting';
  private tools: Tool[] = [];
  private toolsSignature = '';
  private group: APIGroup | undefined;
  private restarts = 0;
  private failedAttempts = 0;
  private connectedAt = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private pendingOpen: Promise<unknown> | undefined;
  private stateWaiters: Array<() => void> = [];
  private readonly shutdowns = new Set<Promise<void>>();
  private refreshing = false;
  private refreshAgain = false;
  private readonly callTimeoutMs: number;
  /** Removes the config's credentials from everything a tool answers (results and errors). */
  private readonly redactor: SecretRedactor;

  constructor(
    readonly config: ResolvedServerConfig,
    private readonly options: ResolvedConnectorOptions,
    private readonly logger: Logger,
    private readonly onToolsChanged: (group: APIGroup) => void,
  ) {
    this.callTimeoutMs = config.callTimeoutMs ?? options.callTimeoutMs;
    this.redactor = createSecretRedactor(configSecrets(config));
  }

  get name(): string {
    return this.config.name;
  }

  /** First connection; throws MCPUnavailableError when the server cannot be started or listed. */
  async start(): Promise<APIGroup> {
    try {
      await this.connectAndList();
    } catch (error) {
      this.setState('closed');
      await this.closeOpened();
      throw this.redactor.redactError(
        new MCPUnavailableError(
          this.name,
          `Could not connect to MCP server "${this.name}" (${this.describeTarget()}): ${errorMessage(error)}`,
          { cause: error },
        ),
      );
    }
    return this.currentGroup();
  }

  currentGroup(): APIGroup {
    this.group ??= buildGroup(this.name, this.tools, this, this.describeServer());
    return this.group;
  }

  status(): MCPServerStatus {
    const transport = this.opened?.transport;
    return {
      name: this.name,
      transport: this.transportKind,
      state: this.state,
      pid: transport instanceof ProcessGroupStdioTransport ? transport.pid : undefined,
      restarts: this.restarts,
      toolCount: this.tools.length,
      serverInfo: this.opened?.client.getServerVersion(),
    };
  }

  async callTool(toolName: string, input: unknown, context?: Partial<FunctionCallContext> & ToolCallOptions) {
    const label = `${this.name}.${toolName}`;
    const timeout = context?.timeoutMs ?? this.callTimeoutMs;
    const params = { name: toolName, arguments: (input ?? {}) as Record<string, unknown> };
    for (let attempt = 1; ; attempt++) {
      const client = await this.readyClient(label, timeout, context?.signal);
      try {
        const result = await client.callTool(params, undefined, { timeout, signal: context?.signal });
        return this.redactor.redactValue(mapToolResult(result, label));
      } catch (error) {
        // The server did not run the call (it no longer knows the session): safe to send again.
        if (attempt === 1 && isSessionLost(error) && this.opened?.client === client) {
          this.logger.info({ mcpServer: this.name }, 'MCP HTTP session lost; starting a new session');
          await client.close().catch(() => {});
          continue;
        }
        throw this.redactor.redactError(this.translateCallError(error, label, timeout, context?.signal));
      }
    }
  }

  async close(): Promise<void> {
    if (this.state === 'closed' && !this.opened && !this.pendingOpen) return;
    this.setState('closed');
    clearTimeout(this.restartTimer);
    await this.pendingOpen?.catch(() => {});
    await this.closeOpened();
  }

  private async connectAndList(): Promise<void> {
    const opening = openClient(this.config, this.options, this.logger, (client) => this.wire(client));
    this.pendingOpen = opening;
    let opened: OpenedClient;
    try {
      opened = await opening;
    } finally {
      this.pendingOpen = undefined;
    }
    this.opened = opened;
    this.transportKind = opened.kind;
    if (this.isClosed()) {
      await this.closeOpened();
      throw new Error('the connector was closed while connecting');
    }
    const tools = await listAllTools(opened.client, this.options.connectTimeoutMs);
    if (this.isClosed()) throw new Error('the connector was closed while connecting');
    this.connectedAt = Date.now();
    this.setTools(tools);
    this.setState('ready');
  }

  /** A method, not a field check, so TypeScript does not narrow `state` across awaits. */
  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private wire(client: Client): void {
    client.onclose = () => this.handleClosed(client);
    client.onerror = (error) =>
      this.logger.debug({ mcpServer: this.name, error: errorMessage(error) }, 'MCP transport error');
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => this.refreshTools());
  }

  private handleClosed(client: Client): void {
    if (this.opened?.client !== client || this.state === 'closed') return;
    const transport = this.opened.transport;
    this.opened = undefined;
    if (this.state !== 'ready') return;
    if (Date.now() - this.connectedAt > this.options.restart.maxDelayMs) this.failedAttempts = 0;
    this.logger.warn(
      {
        mcpServer: this.name,
        ...(transport instanceof ProcessGroupStdioTransport ? { process: transport.describeProcess() } : {}),
      },
      'MCP server connection closed unexpectedly; restarting',
    );
    this.setState('restarting');
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const { initialDelayMs, maxDelayMs, maxAttempts } = this.options.restart;
    if (this.failedAttempts >= maxAttempts) {
      this.logger.error({ mcpServer: this.name, attempts: this.failedAttempts }, 'MCP server given up');
      this.setState('failed');
      return;
    }
    const delay = Math.min(initialDelayMs * 2 ** this.failedAttempts, maxDelayMs);
    this.failedAttempts += 1;
    this.restartTimer = setTimeout(() => void this.restart(), delay);
    this.restartTimer.unref();
  }

  private async restart(): Promise<void> {
    if (this.state !== 'restarting') return;
    try {
      await this.connectAndList();
      this.restarts += 1;
      this.logger.info({ mcpServer: this.name, restarts: this.restarts }, 'MCP server restarted');
    } catch (error) {
      if (this.state !== 'restarting') return;
      await this.closeOpened();
      this.logger.warn({ mcpServer: this.name, error: errorMessage(error) }, 'MCP server restart failed');
      this.scheduleRestart();
    }
  }

  /** Re-lists tools after `notifications/tools/list_changed`; bursts collapse into one more list. */
  private refreshTools(): void {
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = true;
    void (async () => {
      try {
        do {
          this.refreshAgain = false;
          const opened = this.opened;
          if (this.state !== 'ready' || !opened) return;
          try {
            const tools = await listAllTools(opened.client, this.options.connectTimeoutMs);
            if (this.opened === opened) this.setTools(tools);
          } catch (error) {
            this.logger.warn(
              { mcpServer: this.name, error: errorMessage(error) },
              'tools/list refresh failed',
            );
          }
        } while (this.refreshAgain);
      } finally {
        this.refreshing = false;
      }
    })();
  }

  private setTools(tools: Tool[]): void {
    const signature = JSON.stringify(tools);
    if (signature === this.toolsSignature) return;
    const isFirst = this.toolsSignature === '';
    this.tools = tools;
    this.toolsSignature = signature;
    this.group = undefined;
    if (isFirst) return;
    try {
      this.onToolsChanged(this.currentGroup());
    } catch (error) {
      this.logger.error(
        { mcpServer: this.name, error: errorMessage(error) },
        'onToolsChanged listener threw',
      );
    }
  }

  private async readyClient(label: string, timeoutMs: number, signal?: AbortSignal): Promise<Client> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (signal?.aborted) {
        throw new ToolCallError(`Call to ${label} was cancelled`, { code: ErrorCode.CANCELLED });
      }
      if (this.state === 'ready' && this.opened) return this.opened.client;
      if (this.state === 'closed') {
        throw new MCPUnavailableError(this.name, `Cannot call ${label}: the MCP connection is closed`, {
          retryable: false,
        });
      }
      if (this.state === 'failed') {
        throw new MCPUnavailableError(
          this.name,
          `Cannot call ${label}: MCP server "${this.name}" crashed and did not come back after ${this.failedAttempts} restart attempts`,
          { retryable: false },
        );
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new MCPUnavailableError(
          this.name,
          `Cannot call ${label}: MCP server "${this.name}" is ${this.state} and was not ready within ${timeoutMs} ms`,
        );
      }
      await this.nextStateChange(remaining, signal);
    }
  }

  private nextStateChange(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      signal?.addEventListener('abort', wake, { once: true });
      this.stateWaiters.push(wake);
    });
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    const waiters = this.stateWaiters;
    this.stateWaiters = [];
    for (const wake of waiters) wake();
  }

  private translateCallError(error: unknown, label: string, timeoutMs: number, signal?: AbortSignal): Error {
    if (isATPError(error)) return error;
    if (signal?.aborted) {
      return new ToolCallError(`Call to ${label} was cancelled`, { code: ErrorCode.CANCELLED, cause: error });
    }
    if (error instanceof McpError) {
      if (error.code === McpErrorCode.RequestTimeout) {
        return new ToolCallError(`MCP tool ${label} did not answer within ${timeoutMs} ms`, {
          code: ErrorCode.TIMEOUT,
          retryable: true,
          cause: error,
          details: { tool: label, timeoutMs },
        });
      }
      if (error.code === McpErrorCode.ConnectionClosed) return this.inFlightFailure(label, error);
      return new ToolCallError(`MCP server "${this.name}" rejected the call to ${label}: ${error.message}`, {
        cause: error,
        details: { tool: label, mcpCode: error.code, data: error.data },
      });
    }
    if (this.state !== 'ready') return this.inFlightFailure(label, error);
    return new MCPUnavailableError(
      this.name,
      `Call to ${label} failed in transport: ${errorMessage(error)}`,
      {
        cause: error,
      },
    );
  }

  private inFlightFailure(label: string, cause: unknown): MCPUnavailableError {
    if (this.state === 'closed') {
      return new MCPUnavailableError(this.name, `Call to ${label} aborted: the MCP connection was closed`, {
        cause,
        retryable: false,
      });
    }
    const what = isStdioConfig(this.config) ? 'process exited' : 'connection closed';
    return new MCPUnavailableError(
      this.name,
      `MCP server "${this.name}" ${what} while ${label} was in flight; the call was not completed (the server is being restarted, retry later)`,
      { cause },
    );
  }

  /** Closes the current client; resolves once every shutdown in progress (not only this one) is done. */
  private async closeOpened(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    if (opened) {
      const shutdown = this.shutdownClient(opened).finally(() => this.shutdowns.delete(shutdown));
      this.shutdowns.add(shutdown);
    }
    await Promise.all(this.shutdowns);
  }

  private async shutdownClient(opened: OpenedClient): Promise<void> {
    if (opened.transport instanceof StreamableHTTPClientTransport && opened.transport.sessionId) {
      await opened.transport.terminateSession().catch(() => {});
    }
    await opened.client.close().catch(() => {});
  }

  private describeTarget(): string {
    const { config } = this;
    return isStdioConfig(config)
      ? `stdio: ${[config.command, ...config.args].join(' ')}`
      : `url: ${config.url}`;
  }

  private describeServer(): { description?: string; metadata: Record<string, unknown> } {
    const client = this.opened?.client;
    const instructions = client?.getInstructions();
    const description = this.config.description ?? instructions;
    const metadata: Record<string, unknown> = { transport: this.opened?.kind };
    const info = client?.getServerVersion();
    if (info) metadata.serverInfo = { name: info.name, version: info.version };
    return description === undefined ? { metadata } : { description, metadata };
  }
}
