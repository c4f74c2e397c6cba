import { OperationType, type ToolMetadata } from '@agent-tool-protocol/protocol';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

/**
 * MCP annotations → ATP metadata. `destructiveHint: true` wins over `readOnlyHint: true` (a
 * contradictory tool is treated as the more dangerous kind, so approvals fail closed); a tool
 * with neither hint is `write`. Annotations are hints from the server, kept raw under `annotations`.
 */
export function operationTypeOf(annotations: Tool['annotations']): OperationType {
  if (annotations?.destructiveHint === true) return OperationType.DESTRUCTIVE;
  if (annotations?.readOnlyHint === true) return OperationType.READ;
  return OperationType.WRITE;
}

export function toolMetadata(tool: Tool, serverName: string): ToolMetadata {
  const metadata: ToolMetadata = {
    operationType: operationTypeOf(tool.annotations),
    originalName: tool.name,
    mcpServer: serverName,
    tags: ['mcp', serverName],
  };
  const title = tool.title ?? tool.annotations?.title;
  if (title !== undefined) metadata.title = title;
  if (tool.annotations !== undefined) metadata.annotations = { ...tool.annotations };
  return metadata;
}
