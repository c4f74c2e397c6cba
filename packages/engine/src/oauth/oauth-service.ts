import {
  type APIDispatcher,
  type APIGroup,
  ATPError,
  type CacheProvider,
  ErrorCode,
  NotFoundError,
} from '@agent-tool-protocol/protocol';
import {
  type OAuthCredentials,
  OAuthFlow,
  OAuthStateStore,
  OAuthTokenStore,
  withOAuthCredentials,
} from '@agent-tool-protocol/providers';
import type { OAuthConfig } from './oauth-config.js';

export interface OAuthServiceOptions {
  config: OAuthConfig | undefined;
  cache: CacheProvider;
  /** The user id init's auth provider gave this client, if any. */
  userIdOf: (clientId: string) => Promise<string | undefined>;
  groupOf: (name: string) => APIGroup | undefined;
  listGroups: () => APIGroup[];
}

interface Parts {
  config: OAuthConfig;
  tokenStore: OAuthTokenStore;
  flow: OAuthFlow;
}

/**
 * Per-user OAuth for API groups of type `oauth`: the authorize and callback steps behind the
 * `/oauth/*` routes, and the credentials each call of an `oauth` group receives
 * (`context.credentials`, through `withOAuthCredentials`). Tokens live encrypted in the cache
 * provider, so every instance sharing it can use and refresh them.
 */
export class OAuthService {
  private readonly parts: Parts | undefined;

  constructor(private readonly options: OAuthServiceOptions) {
    const config = options.config;
    if (!config) return;
    const tokenStore = new OAuthTokenStore({
      cache: options.cache,
      encryptionKey: config.encryptionKey,
      ...(config.previousEncryptionKeys ? { previousEncryptionKeys: config.previousEncryptionKeys } : {}),
      providers: config.providers,
      consentUrl: (_subject, provider) => this.authorizeRoute(provider),
    });
    const stateStore = new OAuthStateStore({
      cache: options.cache,
      ...(config.stateSecret ? { secret: config.stateSecret } : {}),
    });
    const flow = new OAuthFlow({ tokenStore, stateStore, redirectUri: config.redirectUri });
    this.parts = { config, tokenStore, flow };
  }

  get enabled(): boolean {
    return this.parts !== undefined;
  }

  /** The configured provider names. */
  get providers(): string[] {
    return this.options.config?.providers.map((provider) => provider.name) ?? [];
  }

  /** Who owns tokens obtained by this client: `user:<id>` or `client:<id>`. */
  async subjectOf(clientId: string): Promise<string> {
    if (this.options.config?.subject !== 'client') {
      const userId = await this.options.userIdOf(clientId);
      if (userId) return `user:${userId}`;
    }
    return `client:${clientId}`;
  }

  /** The route a client calls (with its token) to start consent: `…/oauth/<provider>/authorize`. */
  authorizeRoute(provider: string): string {
    return new URL(`${encodeURIComponent(provider)}/authorize`, this.require().config.redirectUri).toString();
  }

  /** Starts an authorization for this client: the provider URL to send the user to (state + PKCE). */
  async authorize(clientId: string, provider: string, scopes?: string[]): Promise<{ authorizeUrl: string }> {
    this.assertProvider(provider);
    const { flow } = this.require();
    const requested = scopes && scopes.length > 0 ? scopes : this.scopesFor(provider);
    const { authorizeUrl } = await flow.begin({
      subject: await this.subjectOf(clientId),
      provider,
      ...(requested ? { scopes: requested } : {}),
    });
    return { authorizeUrl };
  }

  /** Completes the provider's redirect back: checks the state, exchanges the code, stores the tokens. */
  async callback(query: Record<string, unknown>): Promise<{ provider: string; scope?: string }> {
    const { flow } = this.require();
    const param = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
    const completed = await flow.complete({
      code: param('code'),
      state: param('state'),
      error: param('error'),
      error_description: param('error_description'),
    });
    return { provider: completed.provider, ...(completed.scope ? { scope: completed.scope } : {}) };
  }

  /** Fresh credentials for this client and provider (refreshed when expired), or a consent error. */
  async credentials(clientId: string, provider: string): Promise<OAuthCredentials> {
    const { tokenStore } = this.require();
    return tokenStore.getCredentials(await this.subjectOf(clientId), provider);
  }

  /** Forgets this client's tokens for `provider`. */
  async revoke(clientId: string, provider: string): Promise<boolean> {
    this.assertProvider(provider);
    const { tokenStore } = this.require();
    return tokenStore.delete(await this.subjectOf(clientId), provider);
  }

  /** Wraps `inner` so functions of `oauth` groups receive `context.credentials`. O(1) per call. */
  dispatcher(inner: APIDispatcher): APIDispatcher {
    if (!this.enabled) return inner;
    return withOAuthCredentials(inner, {
      requiresCredentials: (group) => this.options.groupOf(group)?.type === 'oauth',
      credentialsFor: (group, clientId) => this.credentials(clientId, this.providerOf(group)),
    });
  }

  /** The provider an `oauth` group uses: `metadata.oauthProvider`, the only provider, or the group name. */
  providerOf(groupName: string): string {
    const group = this.options.groupOf(groupName);
    const named = group?.metadata?.oauthProvider;
    const providers = this.providers;
    const provider = typeof named === 'string' ? named : providers.length === 1 ? providers[0]! : groupName;
    if (!providers.includes(provider)) {
      throw new ATPError(
        ErrorCode.CONFIG_ERROR,
        `API group "${groupName}" needs the OAuth provider "${provider}", which the server does not configure (oauth.providers: ${providers.join(', ')}).`,
        { httpStatus: 500, details: { group: groupName, provider } },
      );
    }
    return provider;
  }

  /** Scopes the `oauth` groups using `provider` declare (`metadata.oauthScopes`), de-duplicated. */
  private scopesFor(provider: string): string[] | undefined {
    const scopes = new Set<string>();
    for (const group of this.groupsUsing(provider)) {
      const declared = group.metadata?.oauthScopes;
      if (Array.isArray(declared))
        for (const scope of declared) if (typeof scope === 'string') scopes.add(scope);
    }
    return scopes.size > 0 ? [...scopes] : undefined;
  }

  private *groupsUsing(provider: string): Iterable<APIGroup> {
    for (const group of this.options.listGroups()) {
      if (group.type === 'oauth' && this.safeProviderOf(group.name) === provider) yield group;
    }
  }

  private safeProviderOf(groupName: string): string | undefined {
    try {
      return this.providerOf(groupName);
    } catch {
      return undefined;
    }
  }

  private assertProvider(provider: string): void {
    if (!this.providers.includes(provider)) {
      throw new NotFoundError(
        `Unknown OAuth provider "${provider}" (configured: ${this.providers.join(', ') || 'none'}).`,
        ErrorCode.NOT_FOUND,
        { provider },
      );
    }
  }

  private require(): Parts {
    if (!this.parts) {
      throw new ATPError(
        ErrorCode.CONFIG_ERROR,
        'OAuth is not configured: set `oauth` in the server config.',
        {
          httpStatus: 404,
        },
      );
    }
    return this.parts;
  }
}
