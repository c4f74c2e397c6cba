import { type AuthRequest, ErrorCode } from '@agent-tool-protocol/protocol';
import type { ATPEngineLike } from './engine-like.js';
import { type MCPPeer, supportsFormElicitation, supportsSampling } from './peer.js';

type PeerInfo = Pick<MCPPeer, 'getClientCapabilities'> & {
  getClientVersion(): { name: string; version: string } | undefined;
};

/**
 * The ATP client behind one MCP session. It is created on first use, after `initialize`, so its
 * services reflect what the MCP client declared: `hasLLM` with sampling, `hasApproval` with form
 * elicitation.
 */
export class ATPClientSession {
  private clientId: Promise<string> | undefined;

  constructor(
    private readonly engine: ATPEngineLike,
    private readonly peer: PeerInfo,
  ) {}

  services() {
    return { hasLLM: supportsSampling(this.peer), hasApproval: supportsFormElicitation(this.peer) };
  }

  /** The ATP client id, initialising it with the first request's headers (so auth providers see them). */
  id(request?: AuthRequest): Promise<string> {
    if (!this.clientId) {
      const pending = this.initialise(request);
      this.clientId = pending;
      pending.catch(() => {
        if (this.clientId === pending) this.clientId = undefined;
      });
    }
    return this.clientId;
  }

  /** Runs `work` with the client id; when the engine forgot the client (session expired), re-inits once. */
  async withClient<T>(request: AuthRequest | undefined, work: (clientId: string) => Promise<T>): Promise<T> {
    const clientId = await this.id(request);
    try {
      return await work(clientId);
    } catch (error) {
      if ((error as { code?: unknown })?.code !== ErrorCode.UNAUTHORIZED) throw error;
      this.clientId = undefined;
      return work(await this.id(request));
    }
  }

  private async initialise(request: AuthRequest | undefined): Promise<string> {
    const client = this.peer.getClientVersion();
    const response = await this.engine.init(
      {
        clientInfo: { transport: 'mcp', ...(client ? { name: client.name, version: client.version } : {}) },
        services: this.services(),
      },
      request ?? { headers: {} },
    );
    return response.clientId;
  }
}
