import { ATPError } from '@agent-tool-protocol/protocol';

/** Stable codes of the OAuth errors (ATPError.code). */
export const OAuthErrorCode = {
  OAUTH_ERROR: 'OAUTH_ERROR',
  OAUTH_CONSENT_REQUIRED: 'OAUTH_CONSENT_REQUIRED',
  OAUTH_STATE_INVALID: 'OAUTH_STATE_INVALID',
} as const;

/** The authorization server refused a request or answered something unusable. */
export class OAuthError extends ATPError {
  /** The `error` field of the OAuth error response (`invalid_grant`, …), when there was one. */
  readonly oauthError: string | undefined;
  readonly provider: string;

  constructor(
    message: string,
    options: {
      provider: string;
      oauthError?: string;
      description?: string;
      status?: number;
      cause?: unknown;
    },
  ) {
    super(OAuthErrorCode.OAUTH_ERROR, message, {
      httpStatus: 502,
      cause: options.cause,
      details: {
        provider: options.provider,
        oauthError: options.oauthError,
        description: options.description,
        status: options.status,
      },
    });
    this.provider = options.provider;
    this.oauthError = options.oauthError;
  }
}

/**
 * No usable token for (subject, provider): the user must (re)authorize. `details.authorizeUrl`
 * tells the client where to send the user, when the token store was told how to build it.
 */
export class OAuthConsentRequiredError extends ATPError {
  readonly provider: string;
  readonly authorizeUrl: string | undefined;

  constructor(provider: string, reason: string, authorizeUrl: string | undefined, cause?: unknown) {
    const where = authorizeUrl ? ` Authorize at ${authorizeUrl}` : '';
    super(
      OAuthErrorCode.OAUTH_CONSENT_REQUIRED,
      `OAuth consent for "${provider}" is required: ${reason}.${where}`,
      {
        httpStatus: 403,
        cause,
        details: { provider, reason, authorizeUrl },
        suggestion: authorizeUrl
          ? `Open ${authorizeUrl} to grant access, then retry.`
          : `Authorize the "${provider}" provider, then retry.`,
      },
    );
    this.provider = provider;
    this.authorizeUrl = authorizeUrl;
  }
}

/** An OAuth callback's `state` is unknown, forged, expired, already used or bound to someone else. */
export class OAuthStateError extends ATPError {
  constructor(reason: string) {
    super(
      OAuthErrorCode.OAUTH_STATE_INVALID,
      `Invalid OAuth state: ${reason}. Start the authorization again.`,
      {
        httpStatus: 400,
        details: { reason },
      },
    );
  }
}
