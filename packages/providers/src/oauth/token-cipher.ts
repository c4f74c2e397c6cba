import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { ConfigError } from '@agent-tool-protocol/protocol';

export type EncryptionKey = string | Uint8Array;

interface Key {
  id: string;
  bytes: Buffer;
}

const VERSION = 'v1';

/**
 * AES-256-GCM with a random 96-bit IV per record. The envelope is
 * `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url); `keyId` lets old records be read after a key
 * rotation. The associated data binds a record to its slot, so a record copied to another
 * (subject, provider) does not decrypt.
 */
export class TokenCipher {
  private readonly current: Key;
  private readonly byId: Map<string, Key>;

  constructor(key: EncryptionKey, previousKeys: EncryptionKey[] = []) {
    this.current = toKey(key, 'encryptionKey');
    const all = [this.current, ...previousKeys.map((k, i) => toKey(k, `previousEncryptionKeys.${i}`))];
    this.byId = new Map(all.map((k) => [k.id, k]));
  }

  encrypt(plaintext: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.bytes, iv);
    cipher.setAAD(Buffer.from(associatedData));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.current.id, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** The plaintext, or undefined when the envelope is malformed, from an unknown key or tampered with. */
  decrypt(envelope: string, associatedData: string): string | undefined {
    const [version, keyId, iv, tag, ciphertext] = envelope.split('.');
    if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined)
      return undefined;
    const key = keyId === undefined ? undefined : this.byId.get(keyId);
    if (key === undefined) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(associatedData));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}

/** 32 raw bytes are used as-is; a string (at least 32 characters) is stretched with HKDF-SHA256. */
function toKey(key: EncryptionKey, field: string): Key {
  let bytes: Buffer;
  if (typeof key === 'string') {
    if (key.length < 32) {
      throw new ConfigError(
        `Invalid OAuthTokenStore options: ${field}: a string key needs at least 32 characters`,
        [{ path: field, message: 'a string key needs at least 32 characters' }],
      );
    }
    bytes = Buffer.from(hkdfSync('sha256', key, 'atp-oauth-token-store', 'aes-256-gcm', 32));
  } else {
    if (key.byteLength !== 32) {
      throw new ConfigError(
        `Invalid OAuthTokenStore options: ${field}: a binary key must be exactly 32 bytes`,
        [{ path: field, message: 'a binary key must be exactly 32 bytes' }],
      );
    }
    bytes = Buffer.from(key);
  }
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes };
}
