import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';

/** The MCP server-side session that sampling and elicitation requests go through. */
export type MCPPeer = Pick<Server, 'getClientCapabilities' | 'createMessage' | 'elicitInput'>;

/** Where a callback request is sent: the peer, plus the tool call it belongs to. */
export interface CallbackContext {
  peer: MCPPeer;
  /** The `tools/call` being answered, so Streamable HTTP sends requests on that call's stream. */
  relatedRequestId?: RequestId;
  signal?: AbortSignal;
  timeoutMs: number;
  defaultMaxTokens: number;
}

export function supportsSampling(peer: Pick<MCPPeer, 'getClientCapabilities'>): boolean {
  return peer.getClientCapabilities()?.sampling !== undefined;
}

export function supportsFormElicitation(peer: Pick<MCPPeer, 'getClientCapabilities'>): boolean {
  return peer.getClientCapabilities()?.elicitation?.form !== undefined;
}

export function requestOptions(context: CallbackContext) {
  return {
    timeout: context.timeoutMs,
    ...(context.relatedRequestId !== undefined ? { relatedRequestId: context.relatedRequestId } : {}),
    ...(context.signal ? { signal: context.signal } : {}),
  };
}
