// One ATP server aggregating two MCP servers, served to agents over ATP HTTP (/api) and MCP (/mcp).
import { createATPMCPHTTPHandler, MCPConnector } from '@agent-tool-protocol/mcp-adapter';
import { createServer } from '@agent-tool-protocol/server';
import { mcpServers } from './mcp-servers.ts';

export interface GatewayOptions {
  port?: number;
  host?: string;
  dataDir?: string;
}

export async function startGateway(options: GatewayOptions = {}) {
  const server = createServer({
    // A fixed development secret keeps tokens valid across restarts; production needs ATP_JWT_SECRET.
    auth: { jwtSecret: process.env.ATP_JWT_SECRET ?? 'mcp-gateway-development-secret' },
    execution: { timeout: 30_000 },
    logger: { level: process.env.ATP_LOG_LEVEL ?? 'warn' },
  });
  const connector = new MCPConnector({ callTimeoutMs: 15_000 });
  try {
    const groups = await Promise.all(
      mcpServers(options.dataDir).map((config) => connector.connectToMCPServer(config)),
    );
    for (const group of groups) server.addAPIGroup(group);
    connector.onToolsChanged((group) => server.engine.catalog.replaceGroup(group));

    // ATP itself as an MCP server: any MCP client (Claude Desktop, Cursor, …) gets search_api,
    // explore_api and execute_code over every group above.
    const mcp = createATPMCPHTTPHandler(server.engine, { name: 'atp-mcp-gateway' });
    server.mount('/mcp', mcp);
    await server.listen(options.port ?? 3334, options.host ?? '127.0.0.1');
    const url = server.url as string;
    return {
      server,
      connector,
      url,
      tools: groups.map((group) => `${group.name}: ${group.functions.length} tools`),
      close: async () => {
        await mcp.close();
        await server.shutdown(5_000);
        await connector.close();
      },
    };
  } catch (error) {
    await connector.close();
    throw error;
  }
}
