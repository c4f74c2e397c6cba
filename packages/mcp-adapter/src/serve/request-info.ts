import type { AuthRequest } from '@agent-tool-protocol/protocol';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** The HTTP headers of the MCP request (none over stdio), for the engine's auth provider. */
export function authRequestOf(extra: Extra): AuthRequest {
  return { headers: extra.requestInfo?.headers ?? {} };
}
