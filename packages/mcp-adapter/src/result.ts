import { ToolCallError } from '@agent-tool-protocol/protocol';
import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/sdk/types.js';

/** What a non-text content block becomes. */
export type MappedContent =
  | { type: 'image' | 'audio'; mimeType: string; data: string }
  | { type: 'resource'; uri: string; mimeType?: string; text?: string; data?: string }
  | { type: 'resource_link'; uri: string; mimeType?: string; name: string; description?: string };

/**
 * A text block is JSON-parsed when its trimmed text starts with `{` or `[` and `JSON.parse`
 * succeeds; anything else (plain prose, numbers, `true`, quoted strings) stays the exact string.
 */
export function parseTextContent(text: string): unknown {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return text;
  try {
    return JSON.parse(trimmed);
  } catch {
    return text;
  }
}

export function mapContentBlock(block: ContentBlock): unknown {
  switch (block.type) {
    case 'text':
      return parseTextContent(block.text);
    case 'image':
    case 'audio':
      return { type: block.type, mimeType: block.mimeType, data: block.data };
    case 'resource': {
      const { resource } = block;
      const mapped: MappedContent = { type: 'resource', uri: resource.uri };
      if (resource.mimeType !== undefined) mapped.mimeType = resource.mimeType;
      if ('text' in resource && typeof resource.text === 'string') mapped.text = resource.text;
      if ('blob' in resource && typeof resource.blob === 'string') mapped.data = resource.blob;
      return mapped;
    }
    case 'resource_link': {
      const mapped: MappedContent = { type: 'resource_link', uri: block.uri, name: block.name };
      if (block.mimeType !== undefined) mapped.mimeType = block.mimeType;
      if (block.description !== undefined) mapped.description = block.description;
      return mapped;
    }
    default:
      return block;
  }
}

function errorText(content: readonly ContentBlock[]): string {
  return content
    .filter((block): block is Extract<ContentBlock, { type: 'text' }> => block.type === 'text')
    .map((block) => block.text)
    .join('\n')
    .trim();
}

/**
 * A `tools/call` result → the value agent code receives:
 * 1. `isError` → throws `ToolCallError` (code `TOOL_ERROR`) whose message carries the tool's text;
 * 2. `structuredContent` when present;
 * 3. otherwise the content: no block → `null`, one block → its value, several → an array of values
 *    (text per `parseTextContent`, other blocks per `mapContentBlock`).
 */
export function mapToolResult(result: CallToolResult | { toolResult: unknown }, toolLabel: string): unknown {
  if ('toolResult' in result && !('content' in result)) return result.toolResult;
  const callResult = result as CallToolResult;
  const content = callResult.content ?? [];
  if (callResult.isError === true) {
    const text = errorText(content);
    throw new ToolCallError(
      text === '' ? `MCP tool ${toolLabel} reported an error` : `MCP tool ${toolLabel} failed: ${text}`,
      { details: { tool: toolLabel, toolMessage: text, content: content.map(mapContentBlock) } },
    );
  }
  if (callResult.structuredContent !== undefined) return callResult.structuredContent;
  if (content.length === 0) return null;
  if (content.length === 1) return mapContentBlock(content[0]!);
  return content.map(mapContentBlock);
}
