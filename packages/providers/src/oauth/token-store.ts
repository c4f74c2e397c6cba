import { randomUUID } from 'node:crypto';
import {
  type CacheProvider,
  ConfigError,
  type Logger,
  NotFoundError,
  type OAuthProvider,
  type OAuthTokens,
  ProviderError,
  parseOrThrow,
  silentLogger,
} from '@agent-tool-protocol/protocol';
import { z } from 'zod';
import { OAuthConsentRequiredError, OAuthError } from './errors.js';
import { type EncryptionKey, TokenCipher } from './token-cipher.js';

/** What an `oauth` API group's handler receives: never the refresh token. */
export interface OAuthCredentials {
  provider: string;
  accessToken: string;
  tokenType: string;
  expiresAt?: number;
  scope?: string;
}

export interface OAuthTokenStoreOptions {
  cache: CacheProvider;
  /** 32 random bytes, or a string of at least 32 characters (stretched with HKDF). Same on every instance. */
  encryptionKey: EncryptionKey;
  /** Older keys still accepted for reading, during a key rotation. */
  previousEncryptionKeys?: EncryptionKey[];
  /** Providers the store can refresh tokens with, by name. */
  providers?: OAuthProvider[];
  /** Builds the URL carried by OAuthConsentRequiredError (the server's `/oauth/:provider/authorize`). */
  consentUrl?: (subject: string, provider: string) => string | undefined;
  /** Default `oauth:`. */
  keyPrefix?: string;
  /** A token this close to expiry counts as expired. Default 60 s. */
  refreshSkewSeconds?: number;
  /** Longest a refresh may hold its lock. Default 30 s. */
  lockTtlSeconds?: number;
  logger?: Logger;
  now?: () => number;
}

const OptionsSchema = z.object({
  cache: z.custom<CacheProvider>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      typeof (value as CacheProvider).setIfAbsent === 'function',
    'must be a CacheProvider',
  ),
  encryptionKey: z.union([z.string(), z.instanceof(Uint8Array)]),
  previousEncryptionKeys: z.array(z.union([z.string(), z.instanceof(Uint8Array)])).optional(),
  providers: z
    .array(
      z.custom<OAuthProvider>(
        (value) => typeof (value as OAuthProvider)?.refresh === 'function',
        'must be an OAuthProvider',
      ),
    )
    .optional(),
  consentUrl: z
    .custom<(subject: string, provider: string) => string | undefined>((v) => typeof v === 'function')
    .optional(),
  keyPrefix: z.string().optional(),
  refreshSkewSeconds: z.number().nonnegative().optional(),
  lockTtlSeconds: z.number().positive().optional(),
  logger: z.custom<Logger>((value) => typeof value === 'object' && value !== null).optional(),
  now: z.custom<() => number>((value) => typeof value === 'function').optional(),
});

const StoredTokensSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string().optional(),
  expiresAt: z.number().optional(),
  scope: z.string().optional(),
  tokenType: z.string().optional(),
});

/**
 * OAuth tokens per (subject, provider) in a CacheProvider, encrypted at rest with AES-256-GCM, so
 * every server instance sharing the cache (and key) can use and refresh them. `getCredentials`
 * refreshes an expired token under a cache lock: concurrent callers on any instance cause one
 * refresh, and the others wait for its result.
 */
export class OAuthTokenStore {
  private readonly cache: CacheProvider;
  private readonly cipher: TokenCipher;
  private readonly providers = new Map<string, OAuthProvider>();
  private readonly consentUrl: ((subject: string, provider: string) => string | undefined) | undefined;
  private readonly prefix: string;
  private readonly skewMs: number;
  private readonly lockTtlSeconds: number;
  private readonly logger: Logger;
  private readonly now: () => number;
  /** In-process de-duplication: one refresh per slot at a time. */
  private readonly inflight = new Map<string, Promise<OAuthCredentials>>();

  constructor(options: OAuthTokenStoreOptions) {
    const parsed = parseOrThrow(OptionsSchema, options, 'OAuthTokenStore options');
    this.cache = parsed.cache;
    this.cipher = new TokenCipher(parsed.encryptionKey, parsed.previousEncryptionKeys);
    for (const provider of parsed.providers ?? []) this.providers.set(provider.name, provider);
    this.consentUrl = parsed.consentUrl;
    this.prefix = parsed.keyPrefix ?? 'oauth:';
    this.skewMs = (parsed.refreshSkewSeconds ?? 60) * 1000;
    this.lockTtlSeconds = parsed.lockTtlSeconds ?? 30;
    this.logger = parsed.logger ?? silentLogger;
    this.now = parsed.now ?? Date.now;
  }

  /** The configured provider called `name`; NotFoundError (404) naming the known ones otherwise. */
  provider(name: string): OAuthProvider {
    const provider = this.providers.get(name);
    if (provider === undefined) {
      const known = [...this.providers.keys()].join(', ') || 'none';
      throw new NotFoundError(`Unknown OAuth provider "${name}" (configured: ${known}).`, 'NOT_FOUND', {
        provider: name,
      });
    }
    return provider;
  }

  /**
   * Adds a provider after construction (an `oauth` API group bringing its own). Adding the same object
   * again is a no-op; another provider under a name already used is a ConfigError.
   */
  addProvider(provider: OAuthProvider): void {
    const existing = this.providers.get(provider.name);
    if (existing === provider) return;
    if (existing !== undefined) {
      throw new ConfigError(
        `Another OAuth provider is already registered as "${provider.name}": pass the same provider object to every group that uses it, or give this one another name.`,
        [{ path: 'oauthProvider.name', message: 'already registered' }],
      );
    }
    this.providers.set(provider.name, provider);
  }

  providerNames(): string[] {
    return [...this.providers.keys()];
  }

  async save(subject: string, provider: string, tokens: OAuthTokens): Promise<void> {
    const record = parseOrThrow(StoredTokensSchema, tokens, 'OAuth tokens');
    const envelope = this.cipher.encrypt(JSON.stringify(record), this.slot(subject, provider));
    await this.cache.set(this.tokenKey(subject, provider), envelope, this.recordTtl(record));
  }

  /** The stored tokens, or undefined when there are none (or they cannot be decrypted with the keys). */
  async load(subject: string, provider: string): Promise<OAuthTokens | undefined> {
    const envelope = await this.cache.get<string>(this.tokenKey(subject, provider));
    if (typeof envelope !== 'string') return undefined;
    const plaintext = this.cipher.decrypt(envelope, this.slot(subject, provider));
    if (plaintext === undefined) {
      this.logger.warn(
        { provider },
        'Stored OAuth tokens could not be decrypted (wrong key or tampered); ignoring them',
      );
      return undefined;
    }
    return StoredTokensSchema.parse(JSON.parse(plaintext)) as OAuthTokens;
  }

  async delete(subject: string, provider: string): Promise<boolean> {
    return this.cache.delete(this.tokenKey(subject, provider));
  }

  async getAccessToken(subject: string, provider: string): Promise<string> {
    return (await this.getCredentials(subject, provider)).accessToken;
  }

  /**
   * Fresh credentials for (subject, provider), refreshing when expired. Throws
   * OAuthConsentRequiredError (with the authorize URL) when there is no token, it expired without a
   * refresh token, or the provider rejected the refresh token.
   */
  async getCredentials(subject: string, provider: string): Promise<OAuthCredentials> {
    const tokens = await this.load(subject, provider);
    if (tokens === undefined) throw this.consentRequired(subject, provider, 'no authorization is stored');
    if (this.isFresh(tokens)) return credentials(provider, tokens);
    const slot = this.slot(subject, provider);
    let refreshing = this.inflight.get(slot);
    if (refreshing === undefined) {
      refreshing = this.refreshShared(subject, provider).finally(() => this.inflight.delete(slot));
      this.inflight.set(slot, refreshing);
    }
    return refreshing;
  }

  private async refreshShared(subject: string, provider: string): Promise<OAuthCredentials> {
    const oauthProvider = this.provider(provider);
    const lockKey = `${this.prefix}lock:${this.slot(subject, provider)}`;
    const deadline = this.now() + this.lockTtlSeconds * 2_000;
    for (;;) {
      const owner = randomUUID();
      if (await this.cache.setIfAbsent(lockKey, owner, this.lockTtlSeconds)) {
        try {
          return await this.refreshLocked(subject, provider, oauthProvider);
        } finally {
          await this.cache.deleteIfEquals(lockKey, owner).catch((error: unknown) => {
            this.logger.warn(
              { err: error, provider },
              'Could not release the OAuth refresh lock; it expires by itself',
            );
          });
        }
      }
      // Another instance is refreshing: wait for the lock to go, then use what it stored.
      await this.waitForRelease(lockKey, deadline);
      const tokens = await this.load(subject, provider);
      if (tokens === undefined) throw this.consentRequired(subject, provider, 'no authorization is stored');
      if (this.isFresh(tokens)) return credentials(provider, tokens);
      if (this.now() > deadline) {
        throw new ProviderError(
          `Timed out waiting for another instance to refresh the "${provider}" token.`,
          {
            details: { provider },
          },
        );
      }
    }
  }

  private async refreshLocked(
    subject: string,
    provider: string,
    oauthProvider: OAuthProvider,
  ): Promise<OAuthCredentials> {
    // Re-read under the lock: another instance may have refreshed in the meantime.
    const current = await this.load(subject, provider);
    if (current === undefined) throw this.consentRequired(subject, provider, 'no authorization is stored');
    if (this.isFresh(current)) return credentials(provider, current);
    if (current.refreshToken === undefined) {
      await this.delete(subject, provider);
      throw this.consentRequired(subject, provider, 'the access token expired and there is no refresh token');
    }
    let refreshed: OAuthTokens;
    try {
      refreshed = await oauthProvider.refresh(current.refreshToken);
    } catch (error) {
      if (
        error instanceof OAuthError &&
        (error.oauthError === 'invalid_grant' || error.oauthError === 'bad_refresh_token')
      ) {
        await this.delete(subject, provider);
        throw this.consentRequired(subject, provider, 'the provider rejected the refresh token', error);
      }
      throw error;
    }
    const next: OAuthTokens = { ...refreshed, refreshToken: refreshed.refreshToken ?? current.refreshToken };
    await this.save(subject, provider, next);
    this.logger.debug({ provider }, 'OAuth access token refreshed');
    return credentials(provider, next);
  }

  private async waitForRelease(lockKey: string, deadline: number): Promise<void> {
    let delay = 25;
    while ((await this.cache.has(lockKey)) && this.now() <= deadline) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 250);
    }
  }

  private isFresh(tokens: OAuthTokens): boolean {
    return tokens.expiresAt === undefined || tokens.expiresAt - this.skewMs > this.now();
  }

  /** Tokens that can never be refreshed are dropped from the cache once they expire. */
  private recordTtl(tokens: OAuthTokens): number | undefined {
    if (tokens.refreshToken !== undefined || tokens.expiresAt === undefined) return undefined;
    return Math.max(1, Math.ceil((tokens.expiresAt - this.now()) / 1000));
  }

  private consentRequired(
    subject: string,
    provider: string,
    reason: string,
    cause?: unknown,
  ): OAuthConsentRequiredError {
    return new OAuthConsentRequiredError(provider, reason, this.consentUrl?.(subject, provider), cause);
  }

  private slot(subject: string, provider: string): string {
    return `${encodeURIComponent(provider)}:${encodeURIComponent(subject)}`;
  }

  private tokenKey(subject: string, provider: string): string {
    return `${this.prefix}token:${this.slot(subject, provider)}`;
  }
}

function credentials(provider: string, tokens: OAuthTokens): OAuthCredentials {
  const result: OAuthCredentials = {
    provider,
    accessToken: tokens.accessToken,
    tokenType: tokens.tokenType ?? 'Bearer',
  };
  if (tokens.expiresAt !== undefined) result.expiresAt = tokens.expiresAt;
  if (tokens.scope !== undefined) result.scope = tokens.scope;
  return result;
}

/** Encrypted OAuth tokens in a cache provider, refreshed when expired. Same as `new OAuthTokenStore(…)`. */
export function createOAuthTokenStore(options: OAuthTokenStoreOptions): OAuthTokenStore {
  return new OAuthTokenStore(options);
}
