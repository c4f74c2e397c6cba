import { createHmac, randomBytes } from 'node:crypto';
import {
  type APIDispatcher,
  type APIGroup,
  ATPError,
  type CacheProvider,
  ConfigError,
  ErrorCode,
  type Logger,
  NotFoundError,
  type OAuthProvider,
} from '@agent-tool-protocol/protocol';
import {
  OAuthConsentRequiredError,
  type OAuthCredentials,
  OAuthFlow,
  OAuthStateStore,
  OAuthTokenStore,
  withOAuthCredentials,
} from '@agent-tool-protocol/providers';
import type { OAuthConfig } from './oauth-config.js';
import { groupOAuthProvider, isProduction } from './oauth-groups.js';

export interface OAuthServiceOptions {
  config: OAuthConfig | undefined;
  cache: CacheProvider;
  /** The user id init's auth provider gave this client, if any. */
  userIdOf: (clientId: string) => Promise<string | undefined>;
  groupOf: (name: string) => APIGroup | undefined;
  listGroups: () => APIGroup[];
  /** `mode` of the engine config (production requires `oauth.encryptionKey` for groups' own providers). */
  mode?: 'production' | 'development' | undefined;
  /** The client-token secret; `state` is signed with a key derived from it unless `oauth.stateSecret` is set. */
  jwtSecret?: string | undefined;
  logger: Logger;
}

interface Parts {
  tokenStore: OAuthTokenStore;
  flow: OAuthFlow;
}

/**
 * Per-user OAuth for API groups of type `oauth`: the authorize and callback steps behind the OAuth
 * routes, and the credentials each call of an `oauth` group receives (`context.credentials`, and
 * flattened: `context.accessToken`). Providers come from `config.oauth.providers` and from groups that
 * bring one (`oauthProvider`), at any time. Tokens live encrypted in the cache provider, so every
 * instance sharing it can use and refresh them.
 */
export class OAuthService {
  private readonly providerMap = new Map<string, OAuthProvider>();
  /** Group name → provider name, for groups that brought their own provider. */
  private readonly groupProviders = new Map<string, string>();
  private parts: Parts | undefined;

  constructor(private readonly options: OAuthServiceOptions) {
    const config = options.config;
    for (const provider of config?.providers ?? []) {
      if (config?.redirectUri === undefined && provider.redirectUri === undefined) {
        throw new ConfigError(
          `oauth.redirectUri is required: the OAuth provider "${provider.name}" has no redirectUri of its own.`,
          [{ path: 'oauth.redirectUri', message: 'required' }],
        );
      }
      this.providerMap.set(provider.name, provider);
    }
  }

  /** True once any provider is configured or registered by a group. */
  get enabled(): boolean {
    return this.providerMap.size > 0;
  }

  /** The provider names, configured and registered. */
  get providers(): string[] {
    return [...this.providerMap.keys()];
  }

  /** Paths the provider's redirect brings the browser back to (`/oauth/callback`), for every provider. */
  callbackPaths(): Set<string> {
    const paths = new Set<string>();
    for (const provider of this.providerMap.values()) {
      const uri = this.options.config?.redirectUri ?? provider.redirectUri;
      if (uri !== undefined) paths.add(new URL(uri).pathname);
    }
    return paths;
  }

  /**
   * Registers the provider an `oauth` group brings (`oauthProvider`); a no-op for other groups. Throws a
   * ConfigError (before the group is added) when the provider has no callback URL, when another provider
   * already uses its name, or in production without `oauth.encryptionKey`.
   */
  registerGroup(group: APIGroup): void {
    const settings = { oauth: this.options.config, mode: this.options.mode };
    const provider = groupOAuthProvider(group, settings, this.providerMap.values());
    if (provider === undefined) return;
    this.providerMap.set(provider.name, provider);
    this.parts?.tokenStore.addProvider(provider);
    this.groupProviders.set(group.name, provider.name);
  }

  /** Who owns tokens obtained by this client: `user:<id>` or `client:<id>`. */
  async subjectOf(clientId: string): Promise<string> {
    if (this.options.config?.subject !== 'client') {
      const userId = await this.options.userIdOf(clientId);
      if (userId) return `user:${userId}`;
    }
    return `client:${clientId}`;
  }

  /**
   * Starts an authorization for this client: the provider's consent URL to send the user to, with a
   * single-use `state` (signed, bound to the client, expiring in 10 minutes) and PKCE.
   */
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

  /**
   * Fresh credentials for this client and provider (refreshed when expired). Without a usable token:
   * an OAuthConsentRequiredError carrying the provider's consent URL for this client, which a person
   * can open in a browser (it needs no ATP token; its state names the client).
   */
  async credentials(clientId: string, provider: string): Promise<OAuthCredentials> {
    const { tokenStore } = this.require();
    try {
      return await tokenStore.getCredentials(await this.subjectOf(clientId), provider);
    } catch (error) {
      if (!(error instanceof OAuthConsentRequiredError)) throw error;
      const reason = (error.details as { reason?: string } | undefined)?.reason ?? 'no usable authorization';
      const { authorizeUrl } = await this.authorize(clientId, provider);
      throw new OAuthConsentRequiredError(provider, reason, authorizeUrl, error.cause);
    }
  }

  /** Forgets this client's tokens for `provider`. */
  async revoke(clientId: string, provider: string): Promise<boolean> {
    this.assertProvider(provider);
    const { tokenStore } = this.require();
    return tokenStore.delete(await this.subjectOf(clientId), provider);
  }

  /**
   * Wraps `inner` so functions of `oauth` groups receive the caller's credentials (while OAuth is
   * enabled; providers may be registered after the wrap). O(1) per call.
   */
  dispatcher(inner: APIDispatcher): APIDispatcher {
    return withOAuthCredentials(inner, {
      requiresCredentials: (group) => this.enabled && this.options.groupOf(group)?.type === 'oauth',
      credentialsFor: (group, clientId) => this.credentials(clientId, this.providerOf(group)),
    });
  }

  /**
   * The provider an `oauth` group uses: the one it brought, `metadata.oauthProvider`, the only provider,
   * or the group name.
   */
  providerOf(groupName: string): string {
    const group = this.options.groupOf(groupName);
    const named = this.groupProviders.get(groupName) ?? group?.metadata?.oauthProvider;
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
    if (!this.providerMap.has(provider)) {
      throw new NotFoundError(
        `Unknown OAuth provider "${provider}" (configured: ${this.providers.join(', ') || 'none'}).`,
        ErrorCode.NOT_FOUND,
        { provider },
      );
    }
  }

  /** The token store and flow, built on first use (from the config, or once a group brought a provider). */
  private require(): Parts {
    if (!this.enabled) {
      throw new ATPError(
        ErrorCode.CONFIG_ERROR,
        'OAuth is not configured: set `oauth` in the server config, or add an `oauth` API group with its `oauthProvider`.',
        { httpStatus: 404 },
      );
    }
    this.parts ??= this.buildParts();
    return this.parts;
  }

  private buildParts(): Parts {
    const { config, cache, logger } = this.options;
    const tokenStore = new OAuthTokenStore({
      cache,
      encryptionKey: config?.encryptionKey ?? this.developmentKey(),
      ...(config?.previousEncryptionKeys ? { previousEncryptionKeys: config.previousEncryptionKeys } : {}),
      providers: [...this.providerMap.values()],
      logger,
    });
    const stateSecret = config?.stateSecret ?? this.derivedStateSecret();
    const stateStore = new OAuthStateStore({ cache, secret: stateSecret });
    const flow = new OAuthFlow({
      tokenStore,
      stateStore,
      ...(config?.redirectUri ? { redirectUri: config.redirectUri } : {}),
    });
    return { tokenStore, flow };
  }

  private developmentKey(): Uint8Array {
    if (isProduction(this.options.mode)) {
      throw new ConfigError('oauth.encryptionKey is required in production to store OAuth tokens.', [
        { path: 'oauth.encryptionKey', message: 'required in production' },
      ]);
    }
    this.options.logger.warn(
      {},
      'No oauth.encryptionKey configured: OAuth tokens are encrypted with a random per-process key. They will not survive a restart or work across instances; set oauth.encryptionKey (required in production).',
    );
    return new Uint8Array(randomBytes(32));
  }

  /**
   * A state-signing key derived from the JWT secret, so every instance sharing that secret agrees; without
   * one (development), a random per-process key, like the client tokens' own.
   */
  private derivedStateSecret(): Uint8Array {
    const secret = this.options.jwtSecret;
    if (secret === undefined) return new Uint8Array(randomBytes(32));
    return new Uint8Array(createHmac('sha256', secret).update('atp oauth state').digest());
  }
}
