import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type CacheProvider,
  ConfigError,
  type OAuthProvider,
  type OAuthTokens,
} from '@agent-tool-protocol/protocol';

/** The optional package holding token storage, state and the code exchange. */
export const PROVIDERS_PACKAGE = '@agent-tool-protocol/providers';

/** The fresh credentials an `oauth` group's handler receives as `context.credentials`. */
export interface OAuthCredentials {
  provider: string;
  accessToken: string;
  tokenType: string;
  expiresAt?: number;
  scope?: string;
}

/** What the server uses of `@agent-tool-protocol/providers` (structural, so it stays optional). */
export interface OAuthTokenStoreLike {
  getCredentials(subject: string, provider: string): Promise<OAuthCredentials>;
  save(subject: string, provider: string, tokens: OAuthTokens): Promise<void>;
  delete(subject: string, provider: string): Promise<boolean>;
}

export interface OAuthFlowLike {
  begin(request: {
    subject: string;
    provider: string;
    scopes?: string[];
  }): Promise<{ authorizeUrl: string; state: string }>;
  complete(params: Record<string, string | null | undefined>): Promise<{
    subject: string;
    provider: string;
    scope?: string;
  }>;
}

export interface ProvidersOAuthModule {
  OAuthTokenStore: new (options: {
    cache: CacheProvider;
    encryptionKey: string | Uint8Array;
    previousEncryptionKeys?: Array<string | Uint8Array>;
    providers: OAuthProvider[];
    consentUrl: (subject: string, provider: string) => string | undefined;
  }) => OAuthTokenStoreLike;
  OAuthStateStore: new (options: { cache: CacheProvider; secret?: string }) => unknown;
  OAuthFlow: new (options: {
    tokenStore: unknown;
    stateStore: unknown;
    redirectUri: string;
  }) => OAuthFlowLike;
}

/**
 * Loads the providers package: from the server's own resolution first, then from the application's
 * directory (`process.cwd()`), where pnpm installs an application's dependencies.
 */
export async function importProvidersOAuth(
  load: (specifier: string) => Promise<unknown> = (specifier) => import(specifier),
): Promise<ProvidersOAuthModule> {
  const candidates: Array<() => string> = [
    () => PROVIDERS_PACKAGE,
    () => pathToFileURL(createRequire(join(process.cwd(), 'package.json')).resolve(PROVIDERS_PACKAGE)).href,
  ];
  for (const candidate of candidates) {
    try {
      const loaded = (await load(candidate())) as Partial<ProvidersOAuthModule> & {
        default?: ProvidersOAuthModule;
      };
      const module = typeof loaded.OAuthFlow === 'function' ? loaded : loaded.default;
      if (typeof module?.OAuthFlow === 'function') return module as ProvidersOAuthModule;
    } catch {
      // try the next place
    }
  }
  throw new ConfigError(
    `oauth is configured but ${PROVIDERS_PACKAGE} is not installed: run \`npm install ${PROVIDERS_PACKAGE}\`.`,
    [{ path: 'oauth', message: `needs the ${PROVIDERS_PACKAGE} package` }],
  );
}
