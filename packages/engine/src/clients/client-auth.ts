import { randomUUID } from 'node:crypto';
import {
  type AuditEventInput,
  AuthenticationError,
  type AuthProvider,
  type AuthRequest,
  InitRequestSchema,
  type InitResponse,
  parseOrThrow,
  QuotaExceededError,
  type TokenResponse,
} from '@agent-tool-protocol/protocol';
import type { InitRateLimit } from '../limits/init-rate-limit.js';
import type { QuotasConfig } from '../quotas/quotas-config.js';
import type { ClientSession, SessionStore } from './session-store.js';
import type { TokenClaims, TokenService } from './token-service.js';

export interface ClientAuthOptions {
  sessions: SessionStore;
  tokens: TokenService;
  /** Decides who may call `init`; without one, anyone may. */
  provider: AuthProvider | undefined;
  /** Limits init calls per client address and in total. */
  rateLimit: InitRateLimit;
  /** What one init may declare. */
  quotas: QuotasConfig['init'];
  audit(event: AuditEventInput): void;
}

/** Who the clients are: `init` makes one (a session and a token), every other call proves it is one. */
export class ClientAuth {
  constructor(private readonly options: ClientAuthOptions) {}

  /** `request.ip` is the caller's address as the host resolved it (the server: `http.trustProxy`). */
  async init(body: unknown, request: AuthRequest = { headers: {} }): Promise<InitResponse> {
    await this.options.rateLimit.consume(request.ip);
    const parsed = parseOrThrow(InitRequestSchema, body ?? {}, 'init request');
    this.checkTools(parsed.tools ?? []);
    const { provider, sessions, tokens, audit } = this.options;
    let userId: string | undefined;
    if (provider) {
      const decision = await provider.authenticate({ ...request, clientInfo: parsed.clientInfo });
      if (!decision.allowed) {
        audit({ type: 'auth_failure', reason: decision.reason, provider: provider.name });
        throw new AuthenticationError(`Not allowed to initialise a client: ${decision.reason}`);
      }
      userId = decision.userId;
    }
    const clientId = `cli_${randomUUID()}`;
    const session: ClientSession = {
      clientId,
      services: {
        hasLLM: parsed.services?.hasLLM ?? false,
        hasApproval: parsed.services?.hasApproval ?? false,
        hasEmbedding: parsed.services?.hasEmbedding ?? false,
        hasTools: parsed.services?.hasTools ?? (parsed.tools?.length ?? 0) > 0,
      },
      tools: parsed.tools ?? [],
      createdAt: Date.now(),
      ...(userId ? { userId } : {}),
    };
    await sessions.save(session);
    audit({ type: 'client_init', clientId, services: session.services, tools: session.tools.length });
    return { clientId, ...(await tokens.issue(clientId)) };
  }

  /** Client tools are kept in the session for its whole life: their count and size are bounded. */
  private checkTools(tools: readonly unknown[]): void {
    const { maxTools, maxToolBytes } = this.options.quotas;
    if (tools.length > maxTools) {
      throw new QuotaExceededError(
        `init declares ${tools.length} client tools; the server accepts at most ${maxTools} (quotas.init.maxTools).`,
        { quota: 'quotas.init.maxTools', limit: maxTools, used: tools.length },
      );
    }
    const bytes = Buffer.byteLength(JSON.stringify(tools));
    if (bytes > maxToolBytes) {
      throw new QuotaExceededError(
        `init declares ${bytes} bytes of client tool definitions; the server accepts at most ${maxToolBytes} (quotas.init.maxToolBytes). Shorten descriptions and schemas, or declare fewer tools.`,
        { quota: 'quotas.init.maxToolBytes', limit: maxToolBytes, used: bytes },
      );
    }
  }

  /** Verifies a bearer token and that it belongs to the `X-Client-ID` given (when given). */
  async authenticate(
    authorization: string | undefined,
    clientIdHeader: string | undefined,
  ): Promise<TokenClaims> {
    const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
    if (!match?.[1]) {
      throw new AuthenticationError('Missing bearer token: send `Authorization: Bearer <token>` from init.');
    }
    let claims: TokenClaims;
    try {
      claims = await this.options.tokens.verify(match[1]);
      if (clientIdHeader !== undefined && clientIdHeader !== claims.clientId) {
        throw new AuthenticationError('The token does not belong to the client named by X-Client-ID.');
      }
      if (!(await this.options.sessions.get(claims.clientId))) {
        throw new AuthenticationError('This client is unknown or its session expired; call init again.');
      }
    } catch (error) {
      this.options.audit({ type: 'auth_failure', reason: (error as Error).message });
      throw error;
    }
    return claims;
  }

  /** A rotated token for an authenticated client whose token is past its rotation time. */
  async rotatedToken(claims: TokenClaims): Promise<TokenResponse | undefined> {
    if (!this.options.tokens.shouldRotate(claims.issuedAt)) return undefined;
    return this.refreshToken(claims.clientId);
  }

  async refreshToken(clientId: string): Promise<TokenResponse> {
    await this.options.sessions.touch(clientId);
    return this.options.tokens.issue(clientId);
  }

  /** The client's session, or an AuthenticationError telling it to init again. */
  async requireSession(clientId: string): Promise<ClientSession> {
    const session = await this.options.sessions.get(clientId);
    if (!session)
      throw new AuthenticationError('This client is unknown or its session expired; call init again.');
    return session;
  }

  /** The user id init's auth provider gave this client, if any. */
  async userIdOf(clientId: string): Promise<string | undefined> {
    return (await this.options.sessions.get(clientId))?.userId;
  }
}
