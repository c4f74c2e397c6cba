import { type APIGroup, ConflictError, ValidationError } from '@agent-tool-protocol/protocol';
import {
  type MCPConnectorOptions,
  type MCPServerConfig,
  parseConnectorOptions,
  parseServerConfig,
  type ResolvedConnectorOptions,
} from './config.js';
import { MCPServerConnection, type MCPServerStatus } from './connection.js';
import { errorMessage } from './errors.js';
import { type Logger, silentLogger } from './logger.js';

export type ToolsChangedListener = (group: APIGroup) => void;

/** A server config without its `name`, for `connect(name, config)`. */
export type MCPServerConfigWithoutName = MCPServerConfig extends infer Config
  ? Config extends unknown
    ? Omit<Config, 'name'>
    : never
  : never;

/**
 * Connects MCP servers (stdio, Streamable HTTP, SSE) and turns each into an ATP `APIGroup`.
 * One connector owns its connections: `close()` ends every one and every server process.
 */
export class MCPConnector {
  private readonly options: ResolvedConnectorOptions;
  private readonly logger: Logger;
  private readonly connections = new Map<string, MCPServerConnection>();
  private readonly listeners = new Set<ToolsChangedListener>();
  private closed = false;

  constructor(options: MCPConnectorOptions = {}) {
    this.options = parseConnectorOptions(options);
    this.logger = this.options.logger ?? silentLogger;
  }

  /** Starts/connects the server, lists its tools (all pages) and returns them as an `APIGroup`. */
  async connectToMCPServer(config: MCPServerConfig): Promise<APIGroup> {
    if (this.closed) throw new ValidationError('This MCPConnector is closed; create a new one');
    const resolved = parseServerConfig(config);
    if (this.connections.has(resolved.name)) {
      throw new ConflictError(`An MCP server named "${resolved.name}" is already connected`);
    }
    const connection = new MCPServerConnection(resolved, this.options, this.logger, (group) =>
      this.emitToolsChanged(group),
    );
    this.connections.set(resolved.name, connection);
    try {
      const group = await connection.start();
      if (this.closed) await connection.close();
      return group;
    } catch (error) {
      this.connections.delete(resolved.name);
      throw error;
    }
  }

  /**
   * The blog's spelling: `mcpConnector.connect('monday', { command: 'monday-stdio-mcp' })`. The same as
   * `connectToMCPServer({ name, ...config })`.
   */
  connect(name: string, config: MCPServerConfigWithoutName): Promise<APIGroup> {
    return this.connectToMCPServer({ ...config, name } as MCPServerConfig);
  }

  /**
   * Called with the fresh group whenever a server's tool list changed (after
   * `notifications/tools/list_changed`, or a restart that brought different tools). Returns an unsubscribe.
   */
  onToolsChanged(listener: ToolsChangedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The current group of a connected server. */
  getGroup(name: string): APIGroup | undefined {
    return this.connections.get(name)?.currentGroup();
  }

  getGroups(): APIGroup[] {
    return [...this.connections.values()].map((connection) => connection.currentGroup());
  }

  status(): MCPServerStatus[] {
    return [...this.connections.values()].map((connection) => connection.status());
  }

  /** Closes one server's connection (and its process); false when no such server is connected. */
  async disconnect(name: string): Promise<boolean> {
    const connection = this.connections.get(name);
    if (!connection) return false;
    this.connections.delete(name);
    await connection.close();
    return true;
  }

  /** Closes every connection and waits until every stdio server process has exited. */
  async close(): Promise<void> {
    this.closed = true;
    const connections = [...this.connections.values()];
    this.connections.clear();
    this.listeners.clear();
    await Promise.all(connections.map((connection) => connection.close()));
  }

  private emitToolsChanged(group: APIGroup): void {
    for (const listener of this.listeners) {
      try {
        listener(group);
      } catch (error) {
        this.logger.error(
          { mcpServer: group.name, error: errorMessage(error) },
          'onToolsChanged listener threw',
        );
      }
    }
  }
}

/** Connects MCP servers and turns their tools into API groups. Same as `new MCPConnector(…)`. */
export function createMCPConnector(options: MCPConnectorOptions = {}): MCPConnector {
  return new MCPConnector(options);
}
