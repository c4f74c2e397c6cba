import {
  type APIGroup,
  APIGroupType,
  type FunctionCallContext,
  type FunctionDef,
  ValidationError,
} from '@agent-tool-protocol/protocol';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { assignAliases } from './aliases.js';
import { toolMetadata } from './metadata.js';

/** What a group's handlers call; implemented by the server connection (stable across restarts). */
export interface ToolCaller {
  callTool(toolName: string, input: unknown, context?: Partial<FunctionCallContext>): Promise<unknown>;
}

function checkInput(input: unknown, path: string): void {
  if (input === undefined || input === null) return;
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new ValidationError(`Invalid input for ${path}: expected an object of named arguments`, [
      { path: 'input', message: 'expected an object' },
    ]);
  }
}

/** MCP tools → an `APIGroup` of type `mcp` whose handlers send `tools/call` through `caller`. */
export function buildGroup(
  groupName: string,
  tools: readonly Tool[],
  caller: ToolCaller,
  server: { description?: string; metadata: Record<string, unknown> },
): APIGroup {
  // Tools that only run as MCP tasks cannot be answered by a plain tools/call.
  const callable = tools.filter((tool) => tool.execution?.taskSupport !== 'required');
  const aliases = assignAliases(callable.map((tool) => tool.name));
  const functions = callable.map((tool): FunctionDef => {
    const alias = aliases.get(tool.name)!;
    const path = `api.${groupName}.${alias}`;
    const fn: FunctionDef = {
      name: alias,
      inputSchema: tool.inputSchema as Record<string, unknown>,
      metadata: toolMetadata(tool, groupName),
      handler: async (input: unknown, context: FunctionCallContext) => {
        checkInput(input, path);
        return caller.callTool(tool.name, input, context);
      },
    };
    const description = tool.description ?? tool.title;
    if (description !== undefined) fn.description = description;
    if (tool.outputSchema !== undefined) fn.outputSchema = tool.outputSchema as Record<string, unknown>;
    return fn;
  });
  const group: APIGroup = {
    name: groupName,
    type: APIGroupType.MCP,
    functions,
    metadata: server.metadata,
  };
  if (server.description !== undefined) group.description = server.description;
  return group;
}
