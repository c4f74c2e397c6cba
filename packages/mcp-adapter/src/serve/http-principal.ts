import { createHash } from 'node:crypto';
import type { AuthProvider } from '@agent-tool-protocol/protocol';
import { errorMessage } from '../errors.js';
import type { ATPEngineLike } from './engine-like.js';
import { type HTTPRequest, headerOf } from './http-io.js';

/** Who sent an MCP request. Sessions are bound to `key`. */
export interface Principal {
  /** `client:<ATP client id>`, `user:<auth provider user id>` or `anonymous`. */
  key: string;
  /** Set when a client token from `/api/init` authenticated the request: the session runs as that client. */
  clientId?: string;
}

export type Authentication = { ok: true; principal: Principal } | { ok: false; message: string };

export interface PrincipalOptions {
  allowAnonymous: boolean;
  authProvider: AuthProvider | undefined;
}

const BEARER = /^Bearer\s+\S+$/i;
/** Headers that carry credentials: what identifies a caller whom the auth provider accepted without a user id. */
const CREDENTIAL_HEADER = /auth|key|token|secret|cookie|session/i;

/**
 * Authenticates one MCP request, as `/api` would: a client token from `/api/init` (verified by the
 * engine), else whatever the auth provider accepts (API keys, JWTs). With `allowAnonymous` nobody is
 * asked for anything.
 */
export async function authenticateRequest(
  req: HTTPRequest,
  address: string | undefined,
  engine: ATPEngineLike,
  options: PrincipalOptions,
): Promise<Authentication> {
  if (options.allowAnonymous) return { ok: true, principal: { key: 'anonymous' } };
  const authorization = headerOf(req, 'authorization');
  let tokenProblem: string | undefined;
  if (authorization !== undefined && BEARER.test(authorization.trim()) && engine.authenticate) {
    try {
      const { clientId } = await engine.authenticate(authorization.trim(), undefined);
      return { ok: true, principal: { key: `client:${clientId}`, clientId } };
    } catch (error) {
      tokenProblem = errorMessage(error);
    }
  }
  const provider = options.authProvider ?? engine.getAuthProvider?.();
  if (provider) {
    const result = await provider.authenticate({
      headers: req.headers,
      ...(address !== undefined ? { ip: address } : {}),
    });
    if (result.allowed) {
      return { ok: true, principal: { key: `user:${result.userId ?? credentialFingerprint(req)}` } };
    }
    return { ok: false, message: tokenProblem ? `${tokenProblem} ${result.reason}` : result.reason };
  }
  if (!engine.authenticate) {
    return {
      ok: false,
      message:
        'This MCP endpoint needs credentials, but the engine cannot verify client tokens and no auth provider is configured.',
    };
  }
  return {
    ok: false,
    message:
      tokenProblem ??
      'Missing credentials: send `Authorization: Bearer <token>` with a client token from POST /api/init.',
  };
}

/** A stable, non-reversible name for the credentials a request presented. */
function credentialFingerprint(req: HTTPRequest): string {
  const credentials = Object.entries(req.headers)
    .filter(([name]) => CREDENTIAL_HEADER.test(name) && name !== 'mcp-session-id')
    .sort(([a], [b]) => a.localeCompare(b));
  return `credentials:${createHash('sha256').update(JSON.stringify(credentials)).digest('hex').slice(0, 24)}`;
}
