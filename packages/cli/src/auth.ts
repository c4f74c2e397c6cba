import type { AuthProvider, AuthRequest, AuthResult } from '@agent-tool-protocol/protocol';
import { APIKeyAuthProvider, JWTAuthProvider } from '@agent-tool-protocol/providers';
import type { ATPConfig } from './config-schema.js';

/** The config's `auth` section as one AuthProvider (API keys, a JWT issuer, or either). */
export function buildAuthProvider(auth: NonNullable<ATPConfig['auth']>): AuthProvider {
  const providers: AuthProvider[] = [];
  if (auth.apiKeys) {
    providers.push(
      new APIKeyAuthProvider({
        keys: auth.apiKeys,
        ...(auth.apiKeyHeader ? { header: auth.apiKeyHeader } : {}),
      }),
    );
  }
  if (auth.jwt) providers.push(new JWTAuthProvider(auth.jwt));
  const [only] = providers;
  return providers.length === 1 && only ? only : new AnyOfAuthProvider(providers);
}

/** Accepts a request when any of its providers does; otherwise reports every reason. */
export class AnyOfAuthProvider implements AuthProvider {
  readonly name = 'any-of';

  constructor(private readonly providers: AuthProvider[]) {}

  async authenticate(request: AuthRequest): Promise<AuthResult> {
    const reasons: string[] = [];
    for (const provider of this.providers) {
      const result = await provider.authenticate(request);
      if (result.allowed) return result;
      reasons.push(result.reason);
    }
    return { allowed: false, reason: reasons.join(' ') || 'No credentials were accepted.' };
  }
}
