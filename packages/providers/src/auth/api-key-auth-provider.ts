import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type AuthProvider,
  type AuthRequest,
  type AuthResult,
  parseOrThrow,
} from '@agent-tool-protocol/protocol';
import { z } from 'zod';
import { bearerToken, headerValue } from './headers.js';

export interface APIKeyEntry {
  key: string;
  /** Who the key belongs to (audit, per-user limits). Default `apikey:<hash prefix>`. */
  userId?: string;
  scopes?: string[];
}

export type APIKeyValidation =
  | boolean
  | { userId?: string; scopes?: string[]; claims?: Record<string, unknown> }
  | undefined;

export interface APIKeyAuthProviderOptions {
  /** Accepted keys. Compared in constant time against SHA-256 digests. */
  keys?: Array<string | APIKeyEntry>;
  /** Decides keys not in `keys` (a database lookup, …): true or an identity to accept. */
  validate?: (key: string, request: AuthRequest) => APIKeyValidation | Promise<APIKeyValidation>;
  /** The header carrying the key. Default `X-API-Key`; `Authorization: Bearer <key>` also works. */
  header?: string;
}

const KeySchema = z.string().min(16, 'must have at least 16 characters');

const OptionsSchema = z
  .object({
    keys: z
      .array(
        z.union([
          KeySchema,
          z.object({
            key: KeySchema,
            userId: z.string().min(1).optional(),
            scopes: z.array(z.string()).optional(),
          }),
        ]),
      )
      .min(1, 'must list at least one key')
      .optional(),
    validate: z
      .custom<APIKeyAuthProviderOptions['validate']>((value) => typeof value === 'function')
      .optional(),
    header: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, 'must be a header name')
      .optional(),
  })
  .refine((options) => options.keys !== undefined || options.validate !== undefined, {
    message: 'give keys or validate',
    path: ['keys'],
  });

interface KnownKey {
  digest: Buffer;
  userId: string;
  scopes: string[] | undefined;
}

const digest = (key: string) => createHash('sha256').update(key).digest();

/** Lets in callers presenting a known API key in `X-API-Key` or `Authorization: Bearer`. */
export class APIKeyAuthProvider implements AuthProvider {
  readonly name = 'api-key';
  private readonly known: KnownKey[];
  private readonly validate: APIKeyAuthProviderOptions['validate'];
  private readonly header: string;

  constructor(options: APIKeyAuthProviderOptions) {
    const parsed = parseOrThrow(OptionsSchema, options, 'APIKeyAuthProvider options');
    this.known = (parsed.keys ?? []).map((entry) => {
      const { key, userId, scopes } =
        typeof entry === 'string' ? { key: entry, userId: undefined, scopes: undefined } : entry;
      const keyDigest = digest(key);
      return {
        digest: keyDigest,
        userId: userId ?? `apikey:${keyDigest.toString('hex').slice(0, 12)}`,
        scopes,
      };
    });
    this.validate = parsed.validate;
    this.header = parsed.header ?? 'x-api-key';
  }

  async authenticate(request: AuthRequest): Promise<AuthResult> {
    const key = headerValue(request, this.header) ?? bearerToken(request);
    if (key === undefined) {
      return {
        allowed: false,
        reason: `Missing API key: send it in the ${this.header} header or as Authorization: Bearer <key>.`,
      };
    }
    const match = this.findKey(key);
    if (match !== undefined) {
      return { allowed: true, userId: match.userId, ...(match.scopes ? { scopes: match.scopes } : {}) };
    }
    if (this.validate !== undefined) {
      const verdict = await this.validate(key, request);
      if (verdict === true)
        return { allowed: true, userId: `apikey:${digest(key).toString('hex').slice(0, 12)}` };
      if (typeof verdict === 'object') return { allowed: true, ...verdict };
    }
    return { allowed: false, reason: 'Invalid API key.' };
  }

  /** Compares against every key (no early exit) so timing does not reveal which prefix matched. */
  private findKey(key: string): KnownKey | undefined {
    const presented = digest(key);
    let found: KnownKey | undefined;
    for (const candidate of this.known) {
      if (timingSafeEqual(presented, candidate.digest) && found === undefined) found = candidate;
    }
    return found;
  }
}

/** An auth provider accepting API keys. Same as `new APIKeyAuthProvider(…)`. */
export function createAPIKeyAuthProvider(options: APIKeyAuthProviderOptions): APIKeyAuthProvider {
  return new APIKeyAuthProvider(options);
}
