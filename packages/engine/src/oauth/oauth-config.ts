import type { OAuthProvider } from '@agent-tool-protocol/protocol';
import { z } from 'zod';

export const isOAuthProvider = (value: unknown): value is OAuthProvider =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as OAuthProvider).name === 'string' &&
  typeof (value as OAuthProvider).authorizationUrl === 'function' &&
  typeof (value as OAuthProvider).exchangeCode === 'function' &&
  typeof (value as OAuthProvider).refresh === 'function';

const EncryptionKeySchema = z.union([
  z.string().min(32, 'must have at least 32 characters'),
  z.instanceof(Uint8Array).refine((key) => key.byteLength === 32, 'must be exactly 32 bytes'),
]);

/**
 * `oauth` in the engine config: per-user OAuth for API groups of type `oauth` (docs/deployment.md). Groups
 * may also bring their own provider (`{ type: 'oauth', oauthProvider }`); then only `encryptionKey` is
 * needed here (and only in production: development uses a random per-process key, with a warning).
 */
export const OAuthConfigSchema = z.object({
  /** `OAuth2Provider`, `GitHubOAuthProvider`, `GoogleOAuthProvider` … (any `OAuthProvider`). */
  providers: z
    .array(z.custom<OAuthProvider>(isOAuthProvider, 'must be an OAuthProvider (name, authorizationUrl, …)'))
    .default([]),
  /** Encrypts tokens at rest (AES-256-GCM). The same on every instance. */
  encryptionKey: EncryptionKeySchema,
  /** Older keys still accepted for reading during a key rotation. */
  previousEncryptionKeys: z.array(EncryptionKeySchema).optional(),
  /**
   * This server's public `/oauth/callback` URL, as registered with every provider. Optional when every
   * provider has its own `redirectUri`; the callback is served at the path of each.
   */
  redirectUri: z.url().optional(),
  /**
   * Signs the `state` parameter (HMAC); the same on every instance. Default: derived from the JWT secret
   * (`auth.jwtSecret` / `ATP_JWT_SECRET`).
   */
  stateSecret: z.string().min(16, 'must have at least 16 characters').optional(),
  /** Whose tokens: `user` (the auth provider's user id when init had one, else the client) or `client`. */
  subject: z.enum(['user', 'client']).default('user'),
  /** Where `/oauth/callback` sends the browser after a successful authorization (default: a short page). */
  successRedirect: z.url().optional(),
});

export type OAuthConfigInput = z.input<typeof OAuthConfigSchema>;
export type OAuthConfig = z.output<typeof OAuthConfigSchema>;
