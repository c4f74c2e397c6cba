import { randomBytes } from 'node:crypto';
import {
  AuthenticationError,
  ConfigError,
  ErrorCode,
  type Logger,
  type TokenResponse,
} from '@agent-tool-protocol/protocol';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';

export interface TokenClaims {
  clientId: string;
  issuedAt: number;
}

export interface TokenServiceOptions {
  secret: string | undefined;
  production: boolean;
  ttlSeconds: number;
  rotationSeconds: number;
  logger: Logger;
}

const AUDIENCE = 'atp-client';
const ISSUER = 'atp-server';

/** HS256 client tokens: issued by init and refresh only, verified on every other call. */
export class TokenService {
  private readonly key: Uint8Array;
  private readonly ttlSeconds: number;
  private readonly rotationSeconds: number;
  /** Tokens whose signature was already checked, until they expire: verification is off the hot path. */
  private readonly verified = new Map<string, { claims: TokenClaims; expiresAt: number }>();

  constructor(options: TokenServiceOptions) {
    let secret = options.secret;
    if (!secret) {
      if (options.production) {
        throw new ConfigError(
          'A JWT secret is required in production: set auth.jwtSecret or the ATP_JWT_SECRET environment variable.',
          [{ path: 'auth.jwtSecret', message: 'required in production' }],
        );
      }
      secret = randomBytes(32).toString('hex');
      options.logger.warn(
        {},
        'No JWT secret configured (auth.jwtSecret / ATP_JWT_SECRET): using a random per-process secret. Tokens will not survive a restart or work across instances.',
      );
    }
    this.key = new TextEncoder().encode(secret);
    this.ttlSeconds = options.ttlSeconds;
    this.rotationSeconds = Math.min(options.rotationSeconds, options.ttlSeconds);
  }

  async issue(clientId: string): Promise<TokenResponse> {
    const now = Date.now();
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(clientId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(now / 1000) + this.ttlSeconds)
      .setJti(randomBytes(8).toString('hex'))
      .sign(this.key);
    return {
      token,
      expiresAt: now + this.ttlSeconds * 1000,
      tokenRotateAt: now + this.rotationSeconds * 1000,
    };
  }

  async verify(token: string): Promise<TokenClaims> {
    const known = this.verified.get(token);
    if (known && known.expiresAt > Date.now()) return known.claims;
    const claims = await this.verifySignature(token);
    if (this.verified.size >= 10_000) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { claims, expiresAt: this.expiryOf(token) });
    return claims;
  }

  private expiryOf(token: string): number {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp: number;
    };
    return payload.exp * 1000;
  }

  private async verifySignature(token: string): Promise<TokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
      });
      if (typeof payload.sub !== 'string' || typeof payload.iat !== 'number') {
        throw new AuthenticationError('The client token is malformed.');
      }
      return { clientId: payload.sub, issuedAt: payload.iat * 1000 };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) {
        throw new AuthenticationError(
          'The client token has expired; call init again.',
          ErrorCode.TOKEN_EXPIRED,
        );
      }
      if (error instanceof AuthenticationError) throw error;
      throw new AuthenticationError('The client token is invalid.');
    }
  }

  /** True when a token issued at `issuedAt` should be replaced on this response. */
  shouldRotate(issuedAt: number): boolean {
    return Date.now() >= issuedAt + this.rotationSeconds * 1000;
  }
}
