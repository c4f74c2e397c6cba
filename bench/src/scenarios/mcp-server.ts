// The scenario APIs as an MCP server over stdio (official SDK): `node mcp-server.ts <scenario> <size>`.
// Tools are the spec's operations; each result is the handler's JSON as one text block.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { toolsOf } from './backend.ts';
import { scenarioById } from './registry.ts';
import type { ScenarioSize } from './types.ts';

const [scenarioId = '', size = 'full'] = process.argv.slice(2);
const scenario = scenarioById(scenarioId);
const backend = scenario.createBackend(size as ScenarioSize);
const tools = toolsOf(backend.spec);

const server = new Server(
  { name: `${scenario.group}-mcp`, version: '1.0.0' },
  { capabilities: { tools: {} } },
);
server.setRequestHandler(ListToolsRequestSchema, () => ({
  tools: tools.map(({ name, description, inputSchema }) => ({ name, description, inputSchema })),
}));
server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const tool = tools.find((candidate) => candidate.name === request.params.name);
  const handler = tool && backend.handlers[tool.operationId];
  if (!handler)
    return { isError: true, content: [{ type: 'text', text: `Unknown tool ${request.params.name}` }] };
  try {
    const result = await handler(request.params.arguments ?? {});
    return { content: [{ type: 'text', text: JSON.stringify(result) }] };
  } catch (error) {
    return {
      isError: true,
      content: [{ type: 'text', text: error instanceof Error ? error.message : String(error) }],
    };
  }
});
await server.connect(new StdioServerTransport());
