import {
  type OAuthAuthorizeRequest,
  type OAuthProvider,
  type OAuthTokens,
  parseOrThrow,
} from '@agent-tool-protocol/protocol';
import { z } from 'zod';
import { OAuthError } from './errors.js';

export interface OAuth2ProviderOptions {
  /** The name routes and token records use (`/oauth/<name>/authorize`). */
  name: string;
  /**
   * `string | undefined` so `process.env.X` can be passed as is (as the original ATP README does); a missing
   * value fails at construction with a message naming the field.
   */
  clientId: string | undefined;
  clientSecret: string | undefined;
  /**
   * The callback URL registered with the provider (`https://my-server/oauth/callback`). Used when an
   * authorization request names none; the server's `oauth.redirectUri` takes precedence where configured.
   */
  redirectUri?: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** Scopes asked for when the authorize request names none. */
  scopes?: string[];
  /** Joins scopes in the authorize URL. Default a space (RFC 6749). */
  scopeSeparator?: string;
  /** Extra authorize URL parameters (Google's `access_type=offline`, …). */
  authorizeParams?: Record<string, string>;
  /** How the client authenticates at the token endpoint. Default `client_secret_post`. */
  clientAuthentication?: 'client_secret_post' | 'client_secret_basic';
  /** Token endpoint timeout. Default 10,000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Clock for `expiresAt`, for tests. */
  now?: () => number;
}

/** A required string that is often read from the environment: say so when it is undefined. */
const requiredSecret = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? 'is missing (undefined): set it, or the environment variable it is read from'
        : 'must be a string',
  })
  .min(1, 'must not be empty (is the environment variable it is read from set?)');

const OptionsSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'must be letters, digits, "-" or "_"'),
  clientId: requiredSecret,
  clientSecret: requiredSecret,
  redirectUri: z.url().optional(),
  authorizeUrl: z.url(),
  tokenUrl: z.url(),
  scopes: z.array(z.string().min(1)).optional(),
  scopeSeparator: z.string().optional(),
  authorizeParams: z.record(z.string(), z.string()).optional(),
  clientAuthentication: z.enum(['client_secret_post', 'client_secret_basic']).optional(),
  timeoutMs: z.number().int().positive().optional(),
  fetch: z.custom<typeof fetch>((value) => typeof value === 'function').optional(),
  now: z.custom<() => number>((value) => typeof value === 'function').optional(),
});

const TokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
});

/**
 * A generic OAuth 2.0 authorization-code provider with PKCE (S256) and refresh tokens.
 * Secrets stay in this object: errors carry the provider's `error` code and description, never
 * codes, verifiers or tokens.
 */
export class OAuth2Provider implements OAuthProvider {
  readonly name: string;
  readonly redirectUri: string | undefined;
  private readonly options: z.output<typeof OptionsSchema>;
  private readonly fetch: typeof fetch;

  constructor(options: OAuth2ProviderOptions, what = 'OAuth2Provider options') {
    this.options = parseOrThrow(OptionsSchema, options, what);
    this.name = this.options.name;
    this.redirectUri = this.options.redirectUri;
    this.fetch = this.options.fetch ?? globalThis.fetch;
  }

  authorizationUrl(request: OAuthAuthorizeRequest): string {
    const url = new URL(this.options.authorizeUrl);
    const scopes = request.scopes ?? this.options.scopes ?? [];
    const params: Record<string, string> = {
      ...this.options.authorizeParams,
      response_type: 'code',
      client_id: this.options.clientId,
      redirect_uri: this.redirectUriFor(request.redirectUri),
      state: request.state,
      code_challenge: request.codeChallenge,
      code_challenge_method: 'S256',
    };
    if (scopes.length > 0) params.scope = scopes.join(this.options.scopeSeparator ?? ' ');
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    return url.toString();
  }

  exchangeCode(code: string, codeVerifier: string, redirectUri?: string): Promise<OAuthTokens> {
    return this.tokenRequest('authorization_code', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.redirectUriFor(redirectUri),
      code_verifier: codeVerifier,
    });
  }

  private redirectUriFor(requested: string | undefined): string {
    const redirectUri = requested ?? this.options.redirectUri;
    if (redirectUri === undefined) {
      throw new OAuthError(
        `The ${this.name} OAuth provider has no redirectUri: pass redirectUri to its constructor or configure the server's oauth.redirectUri.`,
        { provider: this.name },
      );
    }
    return redirectUri;
  }

  refresh(refreshToken: string): Promise<OAuthTokens> {
    return this.tokenRequest('refresh_token', { grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  private async tokenRequest(grant: string, params: Record<string, string>): Promise<OAuthTokens> {
    const body = new URLSearchParams(params);
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    if (this.options.clientAuthentication === 'client_secret_basic') {
      const credentials = `${encodeURIComponent(this.options.clientId)}:${encodeURIComponent(this.options.clientSecret)}`;
      headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    } else {
      body.set('client_id', this.options.clientId);
      body.set('client_secret', this.options.clientSecret);
    }
    const sentAt = (this.options.now ?? Date.now)();
    let response: Response;
    try {
      response = await this.fetch(this.options.tokenUrl, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new OAuthError(
        `The ${this.name} token endpoint could not be reached (${grant} grant): ${(error as Error).message}`,
        {
          provider: this.name,
          cause: error,
        },
      );
    }
    const payload = await readBody(response);
    const oauthError = typeof payload?.error === 'string' ? payload.error : undefined;
    if (!response.ok || oauthError !== undefined) {
      const description =
        typeof payload?.error_description === 'string' ? payload.error_description : undefined;
      throw new OAuthError(
        `The ${this.name} token endpoint refused the ${grant} grant (HTTP ${response.status}${oauthError ? `, ${oauthError}` : ''}${description ? `: ${description}` : ''}).`,
        { provider: this.name, oauthError, description, status: response.status },
      );
    }
    const parsed = TokenResponseSchema.safeParse(payload);
    if (!parsed.success) {
      throw new OAuthError(
        `The ${this.name} token endpoint answered the ${grant} grant without a usable access_token.`,
        {
          provider: this.name,
          status: response.status,
        },
      );
    }
    const tokens: OAuthTokens = { accessToken: parsed.data.access_token };
    if (parsed.data.refresh_token !== undefined) tokens.refreshToken = parsed.data.refresh_token;
    if (parsed.data.expires_in !== undefined) tokens.expiresAt = sentAt + parsed.data.expires_in * 1000;
    if (parsed.data.scope !== undefined) tokens.scope = parsed.data.scope;
    if (parsed.data.token_type !== undefined) tokens.tokenType = parsed.data.token_type;
    return tokens;
  }
}

/** JSON, or form-encoded (GitHub without `Accept: application/json`); undefined when neither. */
async function readBody(response: Response): Promise<Record<string, unknown> | undefined> {
  const text = await response.text().catch(() => '');
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    if (!(response.headers.get('content-type') ?? '').includes('x-www-form-urlencoded')) return undefined;
    return Object.fromEntries(new URLSearchParams(text));
  }
}

/** A generic OAuth 2 provider (authorization code with PKCE, refresh). Same as `new OAuth2Provider(…)`. */
export function createOAuth2Provider(options: OAuth2ProviderOptions): OAuth2Provider {
  return new OAuth2Provider(options);
}
