// The scenario APIs as an MCP server over stdio (official SDK):
// `node mcp-server.ts <scenario> <size> <stats file>`. Tools are the spec's operations; each result is the
// handler's JSON as one text block. After every call the server writes the requests it has received
// (per operationId) and the backend's side effects to the stats file, for the parent to check.
import { writeFileSync } from 'node:fs';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { RequestCounter, toolsOf } from './backend.ts';
import { scenarioById } from './registry.ts';
import type { ScenarioSize } from './types.ts';

const [scenarioId = '', size = 'full', statsFile] = process.argv.slice(2);
if (!statsFile) throw new Error('usage: mcp-server.ts <scenario> <size> <stats file>');
const scenario = scenarioById(scenarioId);
const backend = scenario.createBackend(size as ScenarioSize);
const tools = toolsOf(backend.spec);
const received = new RequestCounter();
const writeStats = () =>
  writeFileSync(statsFile, JSON.stringify({ requests: received.snapshot(), effects: backend.effects() }));
writeStats();

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
  received.count(tool.operationId);
  try {
    const result = await handler(request.params.arguments ?? {});
    return { content: [{ type: 'text', text: JSON.stringify(result) }] };
  } catch (error) {
    return {
      isError: true,
      content: [{ type: 'text', text: error instanceof Error ? error.message : String(error) }],
    };
  } finally {
    writeStats();
  }
});
await server.connect(new StdioServerTransport());
