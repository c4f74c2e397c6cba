import { type ATPMCPHTTPOptions, createATPMCPHTTPHandler } from '@agent-tool-protocol/mcp-adapter';
import { createServer } from '@agent-tool-protocol/server';
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { warehouse } from './warehouse';

/**
 * A real ATP server on port 0 with the warehouse group and ATP-over-MCP mounted at /mcp, authenticated
 * by default: MCP clients send a client token from POST /api/init.
 */
export async function startAtpWithMcp(options: ATPMCPHTTPOptions = {}) {
  const data = warehouse();
  const server = createServer({
    auth: { jwtSecret: 'mcp-adapter-test-secret-long-enough' },
    execution: { isolatePoolSize: 1 },
  });
  server.addAPIGroup(data.group);
  const mcp = createATPMCPHTTPHandler(server.engine, options);
  server.mount('/mcp', mcp);
  await server.listen(0);
  const endpoint = new URL(`${server.url}/mcp`);
  /** A new ATP client's token, from the real POST /api/init (declaring `services`). */
  const token = async (services: Record<string, boolean> = {}): Promise<string> => {
    const response = await fetch(`${server.url}/api/init`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ services }),
    });
    return ((await response.json()) as { token: string }).token;
  };
  const defaultToken = await token();
  const clients: Client[] = [];
  const connect = async (
    capabilities: ClientOptions['capabilities'] = {},
    setup?: (client: Client) => void,
    headers: Record<string, string> = { authorization: `Bearer ${defaultToken}` },
  ) => {
    const client = new Client({ name: 'jest-client', version: '1.0.0' }, { capabilities });
    setup?.(client);
    await client.connect(new StreamableHTTPClientTransport(endpoint, { requestInit: { headers } }));
    clients.push(client);
    return client;
  };
  const close = async () => {
    await Promise.allSettled(clients.map((client) => client.close()));
    await mcp.close();
    await server.shutdown(1000);
  };
  const bearer = (value: string) => ({ authorization: `Bearer ${value}` });
  return { server, data, mcp, endpoint, token, bearer, defaultToken, connect, close };
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
