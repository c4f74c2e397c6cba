/** What a redacted secret is replaced with. */
export const REDACTED = '[REDACTED]';

/** Shorter values are not treated as secrets: redacting them would mangle ordinary text. */
export const MIN_SECRET_LENGTH = 4;

/** Base64 fragments shorter than this are not redacted (too likely to match unrelated text). */
const MIN_BASE64_FRAGMENT = 8;

/** Replaces configured secrets, in every form they travel or come back in, with `[REDACTED]`. */
export interface SecretRedactor {
  /** `text` with every form of every secret replaced. */
  redact(text: string): string;
  /**
   * A copy of a JSON-like value in which every string and every object key is redacted; other values
   * are kept. Catches secrets a JSON text spelled with escapes (`\u0073k_…`, `\/`) before it was parsed.
   */
  redactValue<T>(value: T): T;
  /**
   * The same error with its message, stack, `details` and causes redacted in place (errors keep their
   * class, code and identity); anything else is returned as is.
   */
  redactError<E>(error: E): E;
  /** Whether `text` holds any form of a secret. */
  contains(text: string): boolean;
  /** True when there is nothing to redact. */
  readonly empty: boolean;
}

const encoder = new TextEncoder();

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

const toBase64Url = (text: string) => text.replaceAll('+', '-').replaceAll('/', '_');

/**
 * The base64 text of `bytes` wherever they sit in a longer base64 string: for each of the three
 * alignments, the characters that depend on these bytes alone (a Basic header or a binary body that
 * embeds the secret), plus the whole padded encoding.
 */
function base64Forms(bytes: Uint8Array): string[] {
  const forms = [base64(bytes)];
  for (let shift = 0; shift < 3; shift++) {
    const shifted = new Uint8Array(shift + bytes.length);
    shifted.set(bytes, shift);
    const encoded = base64(shifted);
    const start = Math.ceil((shift * 8) / 6);
    const end = Math.floor((shifted.length * 8) / 6);
    const fragment = encoded.slice(start, end);
    if (fragment.length >= MIN_BASE64_FRAGMENT) forms.push(fragment);
  }
  return forms.flatMap((form) => [form, toBase64Url(form).replace(/=+$/, '')]);
}

const lowerPercentHex = (text: string) => text.replace(/%[0-9A-F]{2}/g, (sequence) => sequence.toLowerCase());

/**
 * Every spelling of `secret` to look for: as is, JSON-escaped, URL-encoded (component and form style,
 * upper- and lower-case hex) and base64 (standard and URL-safe, at any alignment).
 */
export function secretForms(secret: string): string[] {
  if (secret.length < MIN_SECRET_LENGTH) return [];
  const component = encodeURIComponent(secret);
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  const forms = [
    secret,
    JSON.stringify(secret).slice(1, -1),
    component,
    lowerPercentHex(component),
    form,
    lowerPercentHex(form),
    ...base64Forms(encoder.encode(secret)),
  ];
  return [...new Set(forms)];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One redactor for a set of secrets (empty and short values are ignored). Built once, it scans a text
 * in a single pass; the longest form wins where forms overlap.
 */
export function createSecretRedactor(secrets: Iterable<string | undefined | null>): SecretRedactor {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret === 'string') for (const form of secretForms(secret)) forms.add(form);
  }
  if (forms.size === 0) return EMPTY_REDACTOR;
  const pattern = new RegExp(
    [...forms]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'g',
  );
  const redact = (text: string) => text.replace(pattern, REDACTED);
  return {
    empty: false,
    redact,
    contains(text) {
      pattern.lastIndex = 0;
      return pattern.test(text);
    },
    redactValue: (value) => redactDeep(value, redact),
    redactError: (error) => redactErrorInPlace(error, redact),
  };
}

const EMPTY_REDACTOR: SecretRedactor = {
  empty: true,
  redact: (text) => text,
  contains: () => false,
  redactValue: (value) => value,
  redactError: (error) => error,
};

function redactErrorInPlace<E>(error: E, redact: (text: string) => string): E {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    const target = current as Error & { details?: unknown };
    target.message = redact(target.message);
    if (target.stack !== undefined) target.stack = redact(target.stack);
    if (target.details !== undefined) target.details = redactDeep(target.details, redact);
    current = target.cause;
  }
  return error;
}

/** Walks arrays and plain objects with an explicit stack, so deeply nested JSON cannot overflow it. */
function redactDeep<T>(value: T, redact: (text: string) => string): T {
  if (typeof value === 'string') return redact(value) as T;
  if (!isContainer(value)) return value;
  const root = copyShell(value);
  const stack: Array<[source: object, target: Record<string, unknown> | unknown[]]> = [[value, root]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [source, target] = next;
    for (const [key, child] of Object.entries(source)) {
      let copy: unknown = child;
      if (typeof child === 'string') copy = redact(child);
      else if (isContainer(child)) {
        copy = copyShell(child);
        stack.push([child, copy as Record<string, unknown> | unknown[]]);
      }
      if (Array.isArray(target)) target[Number(key)] = copy;
      // defineProperty: a key such as `__proto__` stays an own property instead of changing the prototype.
      else Object.defineProperty(target, redact(key), PROPERTY(copy));
    }
  }
  return root as T;
}

const PROPERTY = (value: unknown): PropertyDescriptor => ({
  value,
  enumerable: true,
  writable: true,
  configurable: true,
});

function isContainer(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function copyShell(value: object): Record<string, unknown> | unknown[] {
  return Array.isArray(value) ? new Array(value.length) : {};
}

const MAX_CACHED_REDACTORS = 64;

/**
 * Redactors by the set of secrets a call used. Most API groups use one set for every call; per-user OAuth
 * tokens make one per user, so the cache is bounded and simply starts over when full.
 */
export class SecretRedactorCache {
  private readonly cache = new Map<string, SecretRedactor>();

  for(secrets: Iterable<string>): SecretRedactor {
    const distinct = [...new Set(secrets)].sort();
    const key = distinct.join('\u0000');
    let redactor = this.cache.get(key);
    if (redactor === undefined) {
      if (this.cache.size >= MAX_CACHED_REDACTORS) this.cache.clear();
      redactor = createSecretRedactor(distinct);
      this.cache.set(key, redactor);
    }
    return redactor;
  }
}
