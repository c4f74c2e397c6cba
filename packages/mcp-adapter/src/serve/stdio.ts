import type { Readable, Writable } from 'node:stream';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { ATPEngineLike } from './engine-like.js';
import { createATPMCPServer } from './mcp-server.js';
import type { ATPMCPServerOptions } from './options.js';

export interface ATPStdioOptions extends ATPMCPServerOptions {
  /** Defaults to `process.stdin` / `process.stdout`. Nothing else may write to stdout. */
  stdin?: Readable;
  stdout?: Writable;
}

export interface ATPStdioServer {
  server: McpServer;
  /** Resolves when the transport closes (stdin ended or `close()` was called). */
  closed: Promise<void>;
  close(): Promise<void>;
}

/** Serves an ATP engine as an MCP server over stdio: one process, one MCP session. */
export async function serveATPOverStdio(
  engine: ATPEngineLike,
  options: ATPStdioOptions = {},
): Promise<ATPStdioServer> {
  const { stdin, stdout, ...serverOptions } = options;
  const server = createATPMCPServer(engine, serverOptions);
  const transport = new StdioServerTransport(stdin, stdout);
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  server.server.onclose = () => markClosed();
  // StdioServerTransport does not notice the end of stdin on its own.
  const input = stdin ?? process.stdin;
  const onEnd = () => void server.close();
  input.once('end', onEnd);
  input.once('close', onEnd);
  await server.connect(transport);
  return {
    server,
    closed,
    close: async () => {
      input.off('end', onEnd);
      input.off('close', onEnd);
      await server.close();
    },
  };
}
