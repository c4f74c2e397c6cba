import { OAuth2Provider, type OAuth2ProviderOptions } from './oauth2-provider.js';

export type WellKnownProviderOptions = Omit<OAuth2ProviderOptions, 'name' | 'authorizeUrl' | 'tokenUrl'> &
  Partial<Pick<OAuth2ProviderOptions, 'name' | 'authorizeUrl' | 'tokenUrl'>>;

export interface GoogleOAuthProviderOptions extends WellKnownProviderOptions {
  /** Ask for a refresh token (`access_type=offline`, `prompt=consent`). Default true. */
  offlineAccess?: boolean;
}

/** Google OAuth 2.0 (authorization code + PKCE); default scopes `openid email profile`. */
export class GoogleOAuthProvider extends OAuth2Provider {
  constructor(options: GoogleOAuthProviderOptions) {
    const { offlineAccess = true, ...rest } = options;
    super(
      {
        name: 'google',
        authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
        tokenUrl: 'https://oauth2.googleapis.com/token',
        scopes: ['openid', 'email', 'profile'],
        ...rest,
        authorizeParams: {
          ...(offlineAccess ? { access_type: 'offline', prompt: 'consent' } : {}),
          include_granted_scopes: 'true',
          ...rest.authorizeParams,
        },
      },
      'GoogleOAuthProvider options',
    );
  }
}

/**
 * GitHub OAuth apps and GitHub Apps (authorization code + PKCE). GitHub answers token errors with
 * HTTP 200 and an `error` field; OAuth2Provider treats that as the failure it is.
 */
export class GitHubOAuthProvider extends OAuth2Provider {
  constructor(options: WellKnownProviderOptions) {
    super(
      {
        name: 'github',
        authorizeUrl: 'https://github.com/login/oauth/authorize',
        tokenUrl: 'https://github.com/login/oauth/access_token',
        scopes: ['read:user'],
        ...options,
      },
      'GitHubOAuthProvider options',
    );
  }
}

/** Google as an OAuth provider. Same as `new GoogleOAuthProvider(…)`. */
export function createGoogleOAuthProvider(options: GoogleOAuthProviderOptions): GoogleOAuthProvider {
  return new GoogleOAuthProvider(options);
}

/** GitHub as an OAuth provider. Same as `new GitHubOAuthProvider(…)`. */
export function createGitHubOAuthProvider(options: WellKnownProviderOptions): GitHubOAuthProvider {
  return new GitHubOAuthProvider(options);
}
