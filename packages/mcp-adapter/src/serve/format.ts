import {
  ATPError,
  type ExecutionResult,
  type ExploreResponse,
  type SearchResult,
} from '@agent-tool-protocol/protocol';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage } from '../errors.js';

/** JSON text, cut at `maxChars` with a note so the model knows to ask for less. */
export function compactJson(value: unknown, maxChars: number): string {
  const text = JSON.stringify(value ?? null) ?? 'null';
  if (text.length <= maxChars) return text;
  const cut = text.length - maxChars;
  return `${text.slice(0, maxChars)}\n…[${cut} more characters cut: return a smaller value, e.g. filter or summarise in code]`;
}

export function textResult(value: unknown, maxChars: number, isError = false): CallToolResult {
  return {
    content: [{ type: 'text', text: compactJson(value, maxChars) }],
    ...(isError ? { isError: true } : {}),
  };
}

export function searchText(results: readonly SearchResult[]) {
  return results.map((hit) => ({
    call: `api.${hit.name ?? `${hit.apiGroup}.${hit.functionName}`}`,
    signature: hit.signature,
    description: hit.description,
  }));
}

/** The explore answer without the JSON schemas: the TypeScript definition already says the same. */
export function exploreText(node: ExploreResponse) {
  if (node.type === 'directory') return { type: node.type, path: node.path, items: node.items };
  return {
    type: node.type,
    path: node.path,
    call: `api.${node.group}.${node.name}`,
    description: node.description,
    definition: node.definition,
  };
}

const UNAVAILABLE_SERVICE = /services\.(hasLLM|hasApproval)/;

/**
 * Why `atp.llm` / `atp.approval` is off for this session, when the error is about that: the MCP client's
 * capabilities, or, for a session acting as an existing ATP client, what that client declared at init.
 */
function capabilityHint(message: string, boundToClient: boolean): string | undefined {
  const service = UNAVAILABLE_SERVICE.exec(message)?.[1];
  if (service === undefined) return undefined;
  const helpers = service === 'hasLLM' ? 'atp.llm.*' : 'atp.approval.*';
  if (boundToClient) {
    return `${helpers} is unavailable: the ATP client whose token opened this session did not declare services.${service} at init.`;
  }
  return service === 'hasLLM'
    ? 'atp.llm.* is unavailable: the MCP client does not support sampling.'
    : 'atp.approval.* is unavailable: the MCP client does not support elicitation.';
}

/** An execution's final result for the model: the value when it completed, the error otherwise. */
export function executionText(
  result: ExecutionResult,
  maxChars: number,
  boundToClient = false,
): CallToolResult {
  const logs = result.logs?.map(
    (entry) =>
      `[${entry.level}] ${entry.message}${entry.data === undefined ? '' : ` ${JSON.stringify(entry.data)}`}`,
  );
  if (result.status === 'completed') {
    return textResult(
      { status: result.status, result: result.result ?? null, ...(logs?.length ? { logs } : {}) },
      maxChars,
    );
  }
  const error = result.error;
  const hint = error ? capabilityHint(error.message, boundToClient) : undefined;
  return textResult(
    {
      status: result.status,
      executionId: result.executionId,
      ...(error
        ? {
            error: {
              code: error.code,
              message: error.message,
              ...(error.line !== undefined ? { line: error.line } : {}),
              ...(error.suggestion ? { suggestion: error.suggestion } : {}),
            },
          }
        : {}),
      ...(hint ? { hint } : {}),
      ...(logs?.length ? { logs } : {}),
    },
    maxChars,
    true,
  );
}

/** A thrown error (bad input, auth, rate limit, …) as a tool error the model can act on. */
export function errorResult(error: unknown, maxChars: number): CallToolResult {
  const code = error instanceof ATPError ? error.code : (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    return textResult({ error: { code, message: errorMessage(error) } }, maxChars, true);
  }
  return textResult({ error: { code: 'INTERNAL_ERROR', message: errorMessage(error) } }, maxChars, true);
}
