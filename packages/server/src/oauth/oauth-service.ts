import {
  type APIGroup,
  type ApiDispatcher,
  AtpError,
  type CacheProvider,
  ErrorCode,
  NotFoundError,
  type ResolvedFunction,
  type ToolInvocationContext,
} from '@agent-tool-protocol/protocol';
import type { OAuthConfig } from './oauth-config.js';
import {
  importProvidersOAuth,
  type OAuthCredentials,
  type OAuthFlowLike,
  type OAuthTokenStoreLike,
  type ProvidersOAuthModule,
} from './providers-module.js';

export interface OAuthServiceOptions {
  config: OAuthConfig | undefined;
  cache: () => CacheProvider;
  /** The user id init's auth provider gave this client, if any. */
  userIdOf: (clientId: string) => Promise<string | undefined>;
  groupOf: (name: string) => APIGroup | undefined;
  listGroups: () => APIGroup[];
  load?: () => Promise<ProvidersOAuthModule>;
}

interface Parts {
  cache: CacheProvider;
  tokenStore: OAuthTokenStoreLike;
  flow: OAuthFlowLike;
}

/**
 * Per-user OAuth for API groups of type `oauth`: the authorize and callback steps behind the
 * `/oauth/*` routes, and a dispatcher wrapper that hands each call of an `oauth` group fresh
 * credentials (`context.credentials`). Tokens live encrypted in the cache provider, so every
 * instance sharing it can use and refresh them.
 */
export class OAuthService {
  private parts: Promise<Parts> | undefined;
  private readonly wrapped = new WeakMap<ResolvedFunction, ResolvedFunction>();

  constructor(private readonly options: OAuthServiceOptions) {}

  get enabled(): boolean {
    return this.options.config !== undefined;
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
    return new URL(`${encodeURIComponent(provider)}/authorize`, this.config().redirectUri).toString();
  }

  /** Starts an authorization for this client: the provider URL to send the user to (state + PKCE). */
  async authorize(clientId: string, provider: string, scopes?: string[]): Promise<{ authorizeUrl: string }> {
    this.assertProvider(provider);
    const { flow } = await this.load();
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
    const { flow } = await this.load();
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
    const { tokenStore } = await this.load();
    return tokenStore.getCredentials(await this.subjectOf(clientId), provider);
  }

  /** Forgets this client's tokens for `provider`. */
  async revoke(clientId: string, provider: string): Promise<boolean> {
    this.assertProvider(provider);
    const { tokenStore } = await this.load();
    return tokenStore.delete(await this.subjectOf(clientId), provider);
  }

  /** Wraps `inner` so functions of `oauth` groups receive `context.credentials`. O(1) per call. */
  dispatcher(inner: ApiDispatcher): ApiDispatcher {
    if (!this.enabled) return inner;
    return {
      resolve: (path) => {
        const fn = inner.resolve(path);
        if (fn === undefined || this.options.groupOf(fn.group)?.type !== 'oauth') return fn;
        let wrapped = this.wrapped.get(fn);
        if (wrapped === undefined) {
          wrapped = this.withCredentials(fn);
          this.wrapped.set(fn, wrapped);
        }
        return wrapped;
      },
      suggest: (path, limit) => inner.suggest(path, limit),
    };
  }

  private withCredentials(fn: ResolvedFunction): ResolvedFunction {
    return {
      ...fn,
      call: async (input, context) => {
        const provider = this.providerOf(fn.group);
        const credentials = await this.credentials(context.clientId, provider);
        const withCredentials: ToolInvocationContext & { credentials: OAuthCredentials } = {
          ...context,
          credentials,
        };
        return fn.call(input, withCredentials);
      },
    };
  }

  /** The provider an `oauth` group uses: `metadata.oauthProvider`, the only provider, or the group name. */
  providerOf(groupName: string): string {
    const group = this.options.groupOf(groupName);
    const named = group?.metadata?.oauthProvider;
    const providers = this.providers;
    const provider = typeof named === 'string' ? named : providers.length === 1 ? providers[0]! : groupName;
    if (!providers.includes(provider)) {
      throw new AtpError(
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

  private config(): OAuthConfig {
    const config = this.options.config;
    if (!config) {
      throw new AtpError(
        ErrorCode.CONFIG_ERROR,
        'OAuth is not configured: set `oauth` in the server config.',
        {
          httpStatus: 404,
        },
      );
    }
    return config;
  }

  /** Token store and flow over the current cache provider (rebuilt when the cache provider changes). */
  private async load(): Promise<Parts> {
    const config = this.config();
    const cache = this.options.cache();
    if (this.parts) {
      const parts = await this.parts;
      if (parts.cache === cache) return parts;
    }
    this.parts = (async () => {
      const module = await (this.options.load ?? importProvidersOAuth)();
      const tokenStore = new module.OAuthTokenStore({
        cache,
        encryptionKey: config.encryptionKey,
        ...(config.previousEncryptionKeys ? { previousEncryptionKeys: config.previousEncryptionKeys } : {}),
        providers: config.providers,
        consentUrl: (_subject, provider) => this.authorizeRoute(provider),
      });
      const stateStore = new module.OAuthStateStore({
        cache,
        ...(config.stateSecret ? { secret: config.stateSecret } : {}),
      });
      const flow = new module.OAuthFlow({ tokenStore, stateStore, redirectUri: config.redirectUri });
      return { cache, tokenStore, flow };
    })();
    this.parts.catch(() => {
      this.parts = undefined;
    });
    return this.parts;
  }
}
