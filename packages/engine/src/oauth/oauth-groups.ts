import { type APIGroup, ConfigError, type OAuthProvider } from '@agent-tool-protocol/protocol';
import { isOAuthProvider, type OAuthConfig } from './oauth-config.js';

/** The parts of the engine config an `oauth` group with its own provider depends on. */
export interface OAuthGroupSettings {
  oauth?: Pick<OAuthConfig, 'redirectUri' | 'encryptionKey' | 'providers'> | undefined;
  mode?: 'production' | 'development' | undefined;
  /** Groups added already (their providers' names are taken). */
  apiGroups?: readonly APIGroup[];
}

export function isProduction(mode: OAuthGroupSettings['mode']): boolean {
  return (mode ?? (process.env.NODE_ENV === 'production' ? 'production' : 'development')) === 'production';
}

/**
 * The provider an `oauth` group brings (`oauthProvider`), checked: it must be an OAuthProvider, have a
 * callback URL (its own `redirectUri` or `oauth.redirectUri`), not reuse the name of another provider in
 * `known`, and in production `oauth.encryptionKey` must be set. Undefined for every other group. Throws a
 * ConfigError naming the group otherwise.
 */
export function groupOAuthProvider(
  group: APIGroup,
  settings: OAuthGroupSettings,
  known: Iterable<OAuthProvider>,
): OAuthProvider | undefined {
  if (group.type !== 'oauth' || group.oauthProvider === undefined) return undefined;
  const provider: unknown = group.oauthProvider;
  const fail = (field: string, message: string): never => {
    throw new ConfigError(`API group "${group.name}": ${field} ${message}.`, [{ path: field, message }]);
  };
  if (!isOAuthProvider(provider)) {
    return fail('oauthProvider', 'must be an OAuthProvider (name, authorizationUrl, exchangeCode, refresh)');
  }
  if (provider.redirectUri === undefined && settings.oauth?.redirectUri === undefined) {
    fail(
      'oauthProvider.redirectUri',
      "is required: the server's callback URL registered with the provider (e.g. http://localhost:3333/oauth/callback)",
    );
  }
  if (settings.oauth?.encryptionKey === undefined && isProduction(settings.mode)) {
    fail(
      'oauth.encryptionKey',
      'is required in production to store users’ OAuth tokens encrypted (32 random bytes, the same on every instance)',
    );
  }
  for (const other of known) {
    if (other.name === provider.name && other !== provider) {
      fail(
        'oauthProvider.name',
        `"${provider.name}" is already registered for another OAuth provider: pass the same provider object to every group that uses it, or give this one another name`,
      );
    }
  }
  return provider;
}

/** The providers a config and its groups bring. */
function knownProviders(settings: OAuthGroupSettings): OAuthProvider[] {
  const fromGroups = (settings.apiGroups ?? []).flatMap((group) =>
    group.type === 'oauth' && isOAuthProvider(group.oauthProvider) ? [group.oauthProvider] : [],
  );
  return [...(settings.oauth?.providers ?? []), ...fromGroups];
}

/**
 * Checks an API group the way adding it to an engine would (see `groupOAuthProvider`), without an
 * engine: the server calls it when a group is added before the engine is built, so a bad `oauth` group
 * fails at `addAPIGroup` rather than at `listen()`.
 */
export function assertOAuthGroupUsable(group: APIGroup, settings: OAuthGroupSettings): void {
  groupOAuthProvider(group, settings, knownProviders(settings));
}
