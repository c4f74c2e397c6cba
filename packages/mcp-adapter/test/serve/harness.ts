import { createATPMCPHTTPHandler } from '@agent-tool-protocol/mcp-adapter';
import { createServer } from '@agent-tool-protocol/server';
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { warehouse } from './warehouse';

/** A real ATP server on port 0 with the warehouse group and ATP-over-MCP mounted at /mcp. */
export async function startAtpWithMcp() {
  const data = warehouse();
  const server = createServer({
    auth: { jwtSecret: 'mcp-adapter-test-secret-long-enough' },
    execution: { isolatePoolSize: 1 },
  });
  server.addAPIGroup(data.group);
  const mcp = createATPMCPHTTPHandler(server.engine);
  server.mount('/mcp', mcp);
  await server.listen(0);
  const endpoint = new URL(`${server.url}/mcp`);
  const clients: Client[] = [];
  const connect = async (
    capabilities: ClientOptions['capabilities'] = {},
    setup?: (client: Client) => void,
  ) => {
    const client = new Client({ name: 'jest-client', version: '1.0.0' }, { capabilities });
    setup?.(client);
    await client.connect(new StreamableHTTPClientTransport(endpoint));
    clients.push(client);
    return client;
  };
  const close = async () => {
    await Promise.allSettled(clients.map((client) => client.close()));
    await mcp.close();
    await server.shutdown(1000);
  };
  return { server, data, mcp, endpoint, connect, close };
}

/** The parsed JSON text of a tool result. */
export function json(result: unknown): any {
  const content = (result as CallToolResult).content;
  const first = content[0];
  if (first?.type !== 'text') throw new Error(`expected text content, got ${JSON.stringify(content)}`);
  return JSON.parse(first.text);
}

/** The text of a resource read through an MCP client. */
export async function resourceText(client: Client, uri: string): Promise<string> {
  const { contents } = await client.readResource({ uri });
  const first = contents[0];
  if (!first || !('text' in first)) throw new Error(`expected text contents for ${uri}`);
  return first.text;
}
