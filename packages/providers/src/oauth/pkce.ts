import { createHash, randomBytes } from 'node:crypto';

export interface PKCEPair {
  /** Kept secret on the server until the code exchange. */
  codeVerifier: string;
  /** Sent in the authorize URL. */
  codeChallenge: string;
  codeChallengeMethod: 'S256';
}

/** RFC 7636 S256: the challenge is base64url(SHA-256(verifier)). */
export function pkceChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier).digest('base64url');
}

/** A fresh PKCE pair: a 43-character verifier from 32 random bytes and its S256 challenge. */
export function createPKCEPair(): PKCEPair {
  const codeVerifier = randomBytes(32).toString('base64url');
  return { codeVerifier, codeChallenge: pkceChallenge(codeVerifier), codeChallengeMethod: 'S256' };
}
