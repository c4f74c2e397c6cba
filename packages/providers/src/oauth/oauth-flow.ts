import { ConfigError, parseOrThrow } from '@agent-tool-protocol/protocol';
import { z } from 'zod';
import { OAuthError } from './errors.js';
import { createPKCEPair } from './pkce.js';
import type { OAuthStateStore } from './state-store.js';
import type { OAuthTokenStore } from './token-store.js';

export interface OAuthFlowOptions {
  tokenStore: OAuthTokenStore;
  stateStore: OAuthStateStore;
  /**
   * The server's callback URL (`https://atp.example.com/oauth/callback`), registered with each provider.
   * Without it, each provider's own `redirectUri` is used.
   */
  redirectUri?: string;
}

export interface BeginAuthorization {
  /** Who the tokens will belong to (client id or user id). */
  subject: string;
  provider: string;
  scopes?: string[];
  returnTo?: string;
}

export interface CallbackParams {
  code?: string | null;
  state?: string | null;
  error?: string | null;
  error_description?: string | null;
}

export interface CompletedAuthorization {
  subject: string;
  provider: string;
  returnTo?: string;
  scope?: string;
}

const OptionsSchema = z.object({
  tokenStore: z.custom<OAuthTokenStore>((value) => typeof value === 'object' && value !== null),
  stateStore: z.custom<OAuthStateStore>((value) => typeof value === 'object' && value !== null),
  redirectUri: z.url().optional(),
});

/**
 * The authorization-code + PKCE dance without HTTP: `begin` (for `/oauth/:provider/authorize`)
 * returns the provider URL to redirect to; `complete` (for `/oauth/callback`) checks the state,
 * exchanges the code and stores the tokens for the subject the state was issued to.
 */
export class OAuthFlow {
  private readonly options: z.output<typeof OptionsSchema>;

  constructor(options: OAuthFlowOptions) {
    this.options = parseOrThrow(OptionsSchema, options, 'OAuthFlow options');
  }

  async begin(request: BeginAuthorization): Promise<{ authorizeUrl: string; state: string }> {
    const provider = this.options.tokenStore.provider(request.provider);
    const redirectUri = this.options.redirectUri ?? provider.redirectUri;
    if (redirectUri === undefined) {
      throw new ConfigError(
        `The OAuth provider "${provider.name}" has no redirectUri, and the flow was given none: set one of them to the server's callback URL.`,
        [{ path: 'redirectUri', message: 'required' }],
      );
    }
    const pkce = createPKCEPair();
    const state = await this.options.stateStore.create({
      subject: request.subject,
      provider: provider.name,
      redirectUri,
      codeVerifier: pkce.codeVerifier,
      ...(request.scopes ? { scopes: request.scopes } : {}),
      ...(request.returnTo ? { returnTo: request.returnTo } : {}),
    });
    const authorizeUrl = provider.authorizationUrl({
      state,
      redirectUri,
      codeChallenge: pkce.codeChallenge,
      ...(request.scopes ? { scopes: request.scopes } : {}),
    });
    return { authorizeUrl, state };
  }

  /**
   * Handles the provider's redirect back. `expected.subject`, when the caller knows who is
   * completing the flow (a session cookie), must match the subject the state was issued to.
   */
  async complete(
    params: CallbackParams,
    expected: { subject?: string } = {},
  ): Promise<CompletedAuthorization> {
    const record = await this.options.stateStore.consume(params.state ?? '', expected);
    if (params.error) {
      throw new OAuthError(
        `The ${record.provider} authorization was not granted (${params.error}${params.error_description ? `: ${params.error_description}` : ''}).`,
        {
          provider: record.provider,
          oauthError: params.error,
          description: params.error_description ?? undefined,
          status: 400,
        },
      );
    }
    if (!params.code) {
      throw new OAuthError(`The ${record.provider} callback carried no authorization code.`, {
        provider: record.provider,
        status: 400,
      });
    }
    const provider = this.options.tokenStore.provider(record.provider);
    const tokens = await provider.exchangeCode(params.code, record.codeVerifier, record.redirectUri);
    await this.options.tokenStore.save(record.subject, record.provider, tokens);
    const completed: CompletedAuthorization = { subject: record.subject, provider: record.provider };
    if (record.returnTo !== undefined) completed.returnTo = record.returnTo;
    if (tokens.scope !== undefined) completed.scope = tokens.scope;
    return completed;
  }
}

/** The authorize and callback steps of an OAuth authorization. Same as `new OAuthFlow(…)`. */
export function createOAuthFlow(options: OAuthFlowOptions): OAuthFlow {
  return new OAuthFlow(options);
}
