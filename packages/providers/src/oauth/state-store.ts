import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type CacheProvider, parseOrThrow } from '@agent-tool-protocol/protocol';
import { z } from 'zod';
import { OAuthStateError } from './errors.js';

/** What an authorization in progress remembers between the authorize redirect and the callback. */
export interface OAuthStateRecord {
  /** Who the tokens will belong to: a client id or user id. */
  subject: string;
  provider: string;
  redirectUri: string;
  codeVerifier: string;
  scopes?: string[];
  /** Where to send the browser after the callback. */
  returnTo?: string;
  createdAt: number;
}

export interface OAuthStateStoreOptions {
  cache: CacheProvider;
  /** When set, states are HMAC-signed and forged ones are rejected before any cache lookup. */
  secret?: string | Uint8Array;
  /** How long an authorization may take. Default 600 s. */
  ttlSeconds?: number;
  /** Default `oauth:state:`. */
  keyPrefix?: string;
}

const OptionsSchema = z.object({
  cache: z.custom<CacheProvider>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      typeof (value as CacheProvider).deleteIfEquals === 'function',
    'must be a CacheProvider',
  ),
  secret: z
    .union([z.string().min(16, 'must have at least 16 characters'), z.instanceof(Uint8Array)])
    .optional(),
  ttlSeconds: z.number().positive().optional(),
  keyPrefix: z.string().optional(),
});

/**
 * The CSRF-safe `state` parameter: an unguessable random value (optionally signed) stored in the
 * cache with the subject it was issued to, the PKCE verifier and the redirect URI. A state is valid
 * once, until it expires, and only for the subject and provider it was issued for.
 */
export class OAuthStateStore {
  private readonly cache: CacheProvider;
  private readonly secret: string | Uint8Array | undefined;
  private readonly ttlSeconds: number;
  private readonly prefix: string;

  constructor(options: OAuthStateStoreOptions) {
    const parsed = parseOrThrow(OptionsSchema, options, 'OAuthStateStore options');
    this.cache = parsed.cache;
    this.secret = parsed.secret;
    this.ttlSeconds = parsed.ttlSeconds ?? 600;
    this.prefix = parsed.keyPrefix ?? 'oauth:state:';
  }

  /** Stores `record` and returns the state to put in the authorize URL. */
  async create(record: Omit<OAuthStateRecord, 'createdAt'>): Promise<string> {
    const nonce = randomBytes(32).toString('base64url');
    const state = this.secret === undefined ? nonce : `${nonce}.${this.sign(nonce)}`;
    await this.cache.set(this.prefix + nonce, { ...record, createdAt: Date.now() }, this.ttlSeconds);
    return state;
  }

  /**
   * Takes the record for `state` (atomically: a second consume of the same state fails, on any
   * instance). `expected` fields, when given, must match what the state was issued for.
   */
  async consume(
    state: string,
    expected: { subject?: string; provider?: string } = {},
  ): Promise<OAuthStateRecord> {
    const nonce = this.verify(state);
    const key = this.prefix + nonce;
    const record = await this.cache.get<OAuthStateRecord>(key);
    if (record === undefined) throw new OAuthStateError('it is unknown, expired or already used');
    if (!(await this.cache.deleteIfEquals(key, record))) throw new OAuthStateError('it was already used');
    if (expected.provider !== undefined && expected.provider !== record.provider) {
      throw new OAuthStateError(`it was issued for the provider "${record.provider}"`);
    }
    if (expected.subject !== undefined && expected.subject !== record.subject) {
      throw new OAuthStateError('it was issued to another client');
    }
    return record;
  }

  private verify(state: string): string {
    if (typeof state !== 'string' || state.length === 0 || state.length > 200) {
      throw new OAuthStateError('it is missing or malformed');
    }
    if (this.secret === undefined) {
      if (!/^[A-Za-z0-9_-]+$/.test(state)) throw new OAuthStateError('it is malformed');
      return state;
    }
    const [nonce, signature, extra] = state.split('.');
    if (nonce === undefined || signature === undefined || extra !== undefined) {
      throw new OAuthStateError('it is not signed');
    }
    const expectedSignature = Buffer.from(this.sign(nonce));
    const given = Buffer.from(signature);
    if (given.length !== expectedSignature.length || !timingSafeEqual(given, expectedSignature)) {
      throw new OAuthStateError('its signature does not match');
    }
    return nonce;
  }

  private sign(nonce: string): string {
    return createHmac('sha256', this.secret!).update(nonce).digest('base64url');
  }
}

/** Single-use OAuth `state` values (with their PKCE verifiers) in a cache provider. Same as `new OAuthStateStore(…)`. */
export function createOAuthStateStore(options: OAuthStateStoreOptions): OAuthStateStore {
  return new OAuthStateStore(options);
}
