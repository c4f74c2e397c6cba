import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ATPEngineLike } from './engine-like.js';
import { type ATPMCPServerOptions, parseATPMCPServerOptions } from './options.js';
import { registerResources } from './resources.js';
import { ATPClientSession, type SessionBinding } from './session.js';
import { registerTools } from './tools.js';

const DEFAULT_INSTRUCTIONS = `This server runs code against many APIs (Agent Tool Protocol).
1. search_api finds functions by what they do; explore_api browses the tree and shows TypeScript definitions
   (the atp://definitions/api resources hold every declaration).
2. execute_code runs JavaScript that calls them as \`await api.<group>.<function>(input)\`. Do the filtering,
   joining and counting in code and \`return\` only the answer: one call can replace many tool calls.`;

/**
 * An MCP server for ONE MCP session that exposes an ATP engine: tools `search_api`, `explore_api`,
 * `execute_code` and the declaration resources. Connect it to one transport; make one per session.
 * `binding` runs the session as an existing ATP client (authenticated with its token) instead of a new one.
 */
export function createATPMCPServer(
  engine: ATPEngineLike,
  options: ATPMCPServerOptions = {},
  binding: SessionBinding = {},
): McpServer {
  const resolved = parseATPMCPServerOptions(options);
  const server = new McpServer(
    { name: resolved.name, version: resolved.version },
    {
      capabilities: { tools: {}, resources: {} },
      instructions: resolved.instructions ?? DEFAULT_INSTRUCTIONS,
    },
  );
  const session = new ATPClientSession(engine, server.server, binding);
  registerTools(server, engine, session, resolved);
  registerResources(server, engine, session);
  return server;
}
