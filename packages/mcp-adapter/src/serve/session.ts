import { type AuthRequest, type ClientServices, ErrorCode } from '@agent-tool-protocol/protocol';
import type { ATPEngineLike } from './engine-like.js';
import { type MCPPeer, supportsFormElicitation, supportsSampling } from './peer.js';

type PeerInfo = Pick<MCPPeer, 'getClientCapabilities'> & {
  getClientVersion(): { name: string; version: string } | undefined;
};

/** Who an MCP session acts for, fixed when the session opens. */
export interface SessionBinding {
  /**
   * The ATP client whose token authenticated the session: executions run as that client (its history,
   * limits, quotas and the services it declared at init). Without it, the session makes its own ATP
   * client with `engine.init`, declaring the services this MCP client supports.
   */
  clientId?: string;
  /** The caller's address, handed to `engine.init` for the auth provider. */
  ip?: string;
}

/**
 * The ATP client behind one MCP session. Unless the session is bound to an existing client, it is created
 * on first use, after `initialize`, so its services reflect what the MCP client declared: `hasLLM` with
 * sampling, `hasApproval` with form elicitation.
 */
export class ATPClientSession {
  private clientId: Promise<string> | undefined;

  constructor(
    private readonly engine: ATPEngineLike,
    private readonly peer: PeerInfo,
    private readonly binding: SessionBinding = {},
  ) {}

  services(): ClientServices {
    return {
      hasLLM: supportsSampling(this.peer),
      hasApproval: supportsFormElicitation(this.peer),
      hasEmbedding: false,
      hasTools: false,
    };
  }

  /** True when the session acts as an existing ATP client (authenticated with its token). */
  get boundToClient(): boolean {
    return this.binding.clientId !== undefined;
  }

  /** The ATP client id, initialising it with the first request's headers (so auth providers see them). */
  id(request?: AuthRequest): Promise<string> {
    if (this.binding.clientId !== undefined) return Promise.resolve(this.binding.clientId);
    if (!this.clientId) {
      const pending = this.initialise(request);
      this.clientId = pending;
      pending.catch(() => {
        if (this.clientId === pending) this.clientId = undefined;
      });
    }
    return this.clientId;
  }

  /**
   * Runs `work` with the client id; when the engine forgot a client this session made (its session
   * expired), re-inits once. A bound client is never replaced: its token decides.
   */
  async withClient<T>(request: AuthRequest | undefined, work: (clientId: string) => Promise<T>): Promise<T> {
    const clientId = await this.id(request);
    try {
      return await work(clientId);
    } catch (error) {
      const forgotten = (error as { code?: unknown })?.code === ErrorCode.UNAUTHORIZED;
      if (!forgotten || this.binding.clientId !== undefined) throw error;
      this.clientId = undefined;
      return work(await this.id(request));
    }
  }

  private async initialise(request: AuthRequest | undefined): Promise<string> {
    const client = this.peer.getClientVersion();
    const { hasLLM, hasApproval } = this.services();
    const response = await this.engine.init(
      {
        clientInfo: { transport: 'mcp', ...(client ? { name: client.name, version: client.version } : {}) },
        services: { hasLLM, hasApproval },
      },
      {
        ...(request ?? { headers: {} }),
        ...(this.binding.ip !== undefined ? { ip: this.binding.ip } : {}),
      },
    );
    return response.clientId;
  }
}
