import {
  type AuthProvider,
  type AuthRequest,
  type AuthResult,
  ProviderError,
  parseOrThrow,
} from '@agent-tool-protocol/protocol';
import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { z } from 'zod';
import { bearerToken } from './headers.js';

export interface JWTAuthProviderOptions {
  /** Shared secret for HS256/384/512 tokens (at least 32 bytes). Give this or `jwksUrl`. */
  secret?: string | Uint8Array;
  /** The issuer's JWKS (`https://issuer/.well-known/jwks.json`), fetched and cached; keys rotate by `kid`. */
  jwksUrl?: string;
  issuer?: string | string[];
  audience?: string | string[];
  /** Accepted algorithms. Default: HS256/384/512 with a secret, RS/PS/ES/EdDSA with a JWKS. */
  algorithms?: string[];
  clockToleranceSeconds?: number;
  /** The claim naming the user. Default `sub`. */
  userIdClaim?: string;
  /** JWKS fetch timeout. Default 5,000 ms. */
  jwksTimeoutMs?: number;
}

const OptionsSchema = z
  .object({
    secret: z
      .union([z.string(), z.instanceof(Uint8Array)])
      .refine(
        (secret) => (typeof secret === 'string' ? Buffer.byteLength(secret) : secret.byteLength) >= 32,
        'must be at least 32 bytes',
      )
      .optional(),
    jwksUrl: z.url().optional(),
    issuer: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
    audience: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
    algorithms: z.array(z.string().min(1)).min(1).optional(),
    clockToleranceSeconds: z.number().nonnegative().optional(),
    userIdClaim: z.string().min(1).optional(),
    jwksTimeoutMs: z.number().int().positive().optional(),
  })
  .refine((options) => (options.secret === undefined) !== (options.jwksUrl === undefined), {
    message: 'give exactly one of secret or jwksUrl',
    path: ['secret'],
  });

const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'];
const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

/** Lets in callers with a valid JWT in `Authorization: Bearer`, verified with jose. */
export class JWTAuthProvider implements AuthProvider {
  readonly name = 'jwt';
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly options: z.output<typeof OptionsSchema>;
  private readonly algorithms: string[];

  constructor(options: JWTAuthProviderOptions) {
    this.options = parseOrThrow(OptionsSchema, options, 'JWTAuthProvider options');
    const { secret, jwksUrl } = this.options;
    if (secret !== undefined) {
      this.key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
      this.algorithms = this.options.algorithms ?? HMAC_ALGORITHMS;
    } else {
      this.key = createRemoteJWKSet(new URL(jwksUrl!), {
        timeoutDuration: this.options.jwksTimeoutMs ?? 5_000,
      });
      this.algorithms = this.options.algorithms ?? ASYMMETRIC_ALGORITHMS;
    }
  }

  async authenticate(request: AuthRequest): Promise<AuthResult> {
    const token = bearerToken(request);
    if (token === undefined)
      return { allowed: false, reason: 'Missing bearer token: send Authorization: Bearer <JWT>.' };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key as Uint8Array, {
        algorithms: this.algorithms,
        ...(this.options.issuer !== undefined ? { issuer: this.options.issuer } : {}),
        ...(this.options.audience !== undefined ? { audience: this.options.audience } : {}),
        ...(this.options.clockToleranceSeconds !== undefined
          ? { clockTolerance: this.options.clockToleranceSeconds }
          : {}),
      }));
    } catch (error) {
      return { allowed: false, reason: this.reason(error) };
    }
    const userId = payload[this.options.userIdClaim ?? 'sub'];
    if (typeof userId !== 'string' || userId === '') {
      return { allowed: false, reason: `The token has no "${this.options.userIdClaim ?? 'sub'}" claim.` };
    }
    return { allowed: true, userId, scopes: scopesOf(payload), claims: payload as Record<string, unknown> };
  }

  /** A sentence for a bad token; a JWKS that cannot be fetched is an outage (ProviderError), not a denial. */
  private reason(error: unknown): string {
    if (error instanceof errors.JWTExpired) return 'The token has expired.';
    if (error instanceof errors.JWTClaimValidationFailed)
      return `The token's "${error.claim}" claim is not accepted (${error.reason}).`;
    if (error instanceof errors.JWSSignatureVerificationFailed) return 'The token signature is invalid.';
    if (error instanceof errors.JWKSNoMatchingKey) return 'No key of the issuer matches the token.';
    if (error instanceof errors.JOSEAlgNotAllowed) return 'The token algorithm is not accepted.';
    const outage =
      error instanceof errors.JWKSTimeout ||
      error instanceof errors.JWKSInvalid ||
      !(error instanceof errors.JOSEError) ||
      error.code === 'ERR_JOSE_GENERIC'; // non-200 or non-JSON JWKS response
    if (outage && this.options.jwksUrl !== undefined) {
      throw new ProviderError(
        `The JWKS at ${this.options.jwksUrl} could not be used: ${(error as Error).message}`,
        {
          cause: error,
          details: { provider: 'jwt', jwksUrl: this.options.jwksUrl },
        },
      );
    }
    return 'The token is malformed or invalid.';
  }
}

function scopesOf(payload: JWTPayload): string[] {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((scope): scope is string => typeof scope === 'string');
  return [];
}

/** An auth provider accepting JWTs. Same as `new JWTAuthProvider(…)`. */
export function createJWTAuthProvider(options: JWTAuthProviderOptions): JWTAuthProvider {
  return new JWTAuthProvider(options);
}
