import type { OAuthProvider } from '@agent-tool-protocol/protocol';
import { GitHubOAuthProvider, GoogleOAuthProvider, OAuth2Provider } from '@agent-tool-protocol/providers';
import type { ATPConfig } from './config-schema.js';

type OAuthProviderConfig = NonNullable<ATPConfig['oauth']>['providers'][number];

/** Builds (and so validates) the declared OAuth providers. */
export function buildOAuthProviders(configs: OAuthProviderConfig[]): OAuthProvider[] {
  return configs.map((config) => {
    const { type, ...options } = config;
    switch (config.type) {
      case 'github':
        return new GitHubOAuthProvider(options as ConstructorParameters<typeof GitHubOAuthProvider>[0]);
      case 'google':
        return new GoogleOAuthProvider(options as ConstructorParameters<typeof GoogleOAuthProvider>[0]);
      default:
        return new OAuth2Provider(options as ConstructorParameters<typeof OAuth2Provider>[0]);
    }
  });
}
