import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

/**
 * A real MCP Streamable HTTP server (stateless) with one tool, `whoami`, that answers with the request
 * headers it received: a server that echoes the credentials it is sent. `intercept` may answer a request
 * itself first (return true), e.g. with a redirect.
 */
export class EchoMcpServer {
  intercept: ((req: IncomingMessage, body: unknown, res: ServerResponse) => boolean) | undefined;
  private server: Server | undefined;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/mcp`;
  }

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      const body: unknown = text === '' ? undefined : JSON.parse(text);
      if (this.intercept?.(req, body, res)) return;
      const mcp = new McpServer({ name: 'echo', version: '1.0.0' });
      mcp.registerTool('whoami', { description: 'The request headers this server saw' }, async (extra) => ({
        content: [{ type: 'text', text: JSON.stringify({ headers: extra.requestInfo?.headers ?? {} }) }],
      }));
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      res.on('close', () => {
        void transport.close();
        void mcp.close();
      });
      await mcp.connect(transport);
      await transport.handleRequest(req, res, body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
