import { createHash } from 'node:crypto';
import { canonicalJSON, normaliseKeyName, SECRET_KEY_ENDINGS } from '@agent-tool-protocol/protocol';

export const REDACTED = '[REDACTED]';

/** What happens to values under an `arguments` key (tool-call inputs). */
export type ArgumentsMode = 'hash' | 'redact' | 'keep';

export interface RedactionOptions {
  /**
   * More key names to redact, besides the built-in ones (token, password, secret, authorization,
   * apiKey, accessToken, refreshToken, cookie, credentials, privateKey, …). Strings match a key
   * case-insensitively and ignoring `-`/`_`, either whole or as its ending; RegExps test the raw key.
   */
  keys?: Array<string | RegExp>;
  /**
   * `hash` (default): replaced by `sha256:<hex>` of its canonical JSON (after secrets are redacted),
   * so equal inputs can be correlated without storing them. `redact`: replaced by `[REDACTED]`.
   * `keep`: kept, with secret keys inside redacted.
   */
  arguments?: ArgumentsMode;
}

const BEARER_VALUE = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const JWT_VALUE = /\beyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const MAX_DEPTH = 32;

export type Redactor = (value: Readonly<Record<string, unknown>>) => Record<string, unknown>;

/**
 * Returns a function that deep-copies a value into plain JSON data with secrets removed: secret keys
 * at any depth, bearer/basic credentials and JWTs inside strings, and `arguments` per the mode.
 */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  const endings = [...SECRET_KEY_ENDINGS, ...(options.keys ?? []).filter((k) => typeof k === 'string')].map(
    (key) => normaliseKeyName(key as string),
  );
  const patterns = (options.keys ?? []).filter((k): k is RegExp => k instanceof RegExp);
  const argumentsMode = options.arguments ?? 'hash';

  const isSecretKey = (key: string): boolean => {
    const normalised = normaliseKeyName(key);
    return endings.some((ending) => normalised.endsWith(ending)) || patterns.some((p) => p.test(key));
  };

  const visit = (value: unknown, depth: number, ancestors: Set<object>): unknown => {
    if (typeof value === 'string') return redactString(value);
    if (typeof value === 'bigint') return value.toString();
    if (value === null || typeof value !== 'object')
      return typeof value === 'number' && !Number.isFinite(value) ? null : value;
    if (depth >= MAX_DEPTH) return '[Truncated]';
    if (ancestors.has(value)) return '[Circular]';
    if (value instanceof Error) return { name: value.name, message: redactString(value.message) };
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
      return visit((value as { toJSON(): unknown }).toJSON(), depth, ancestors);
    }
    ancestors.add(value);
    try {
      if (Array.isArray(value)) return value.map((item) => visit(item, depth + 1, ancestors) ?? null);
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
        if (isSecretKey(key)) copy[key] = REDACTED;
        else if (key === 'arguments') copy[key] = redactArguments(visit(item, depth + 1, ancestors));
        else copy[key] = visit(item, depth + 1, ancestors);
      }
      return copy;
    } finally {
      ancestors.delete(value);
    }
  };

  const redactArguments = (cleaned: unknown): unknown => {
    if (argumentsMode === 'keep') return cleaned;
    if (argumentsMode === 'redact') return REDACTED;
    return `sha256:${createHash('sha256').update(canonicalJSON(cleaned)).digest('hex')}`;
  };

  return (value) => visit(value, 0, new Set()) as Record<string, unknown>;
}

function redactString(text: string): string {
  return text.replace(BEARER_VALUE, `$1 ${REDACTED}`).replace(JWT_VALUE, REDACTED);
}
