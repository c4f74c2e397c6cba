import { isSecretKeyName, REDACTED } from '@agent-tool-protocol/protocol';

/** Largest `details` (as JSON text) a host error carries into the sandbox. */
export const MAX_ERROR_DETAILS_CHARS = 32_768;

/** Ever smaller views of details that are too large: items per array or object, chars per string, depth. */
const SHRINK_STEPS = [
  { items: 100, chars: 2_000, depth: 8 },
  { items: 20, chars: 500, depth: 6 },
  { items: 5, chars: 200, depth: 4 },
] as const;
type Shrink = (typeof SHRINK_STEPS)[number];

const MAX_DEPTH = 32;

/**
 * A host error's `details` as the sandbox may see them: plain JSON (functions dropped, `BigInt`s as
 * strings, cycles as `'[Circular]'`), values under secret-looking keys replaced by `[REDACTED]`, at
 * most MAX_ERROR_DETAILS_CHARS. Details that are too large are shortened (long arrays and strings cut,
 * deep levels dropped) and flagged `truncated`; left out when even that does not fit. Strings are
 * not searched for secrets: the loaders redact their own credentials from messages and details.
 */
export function sandboxErrorDetails(details: unknown): { details?: unknown; truncated?: true } {
  if (details === undefined) return {};
  let clean: unknown;
  try {
    clean = plainCopy(details, 0, new Set());
  } catch {
    return { truncated: true };
  }
  if (clean === undefined) return {};
  if (fits(clean)) return { details: clean };
  for (const step of SHRINK_STEPS) {
    const shrunk = shrink(clean, step, 0);
    if (fits(shrunk)) return { details: shrunk, truncated: true };
  }
  return { truncated: true };
}

function plainCopy(value: unknown, depth: number, ancestors: Set<object>): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return null;
  if (ancestors.has(value)) return '[Circular]';
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return plainCopy((value as { toJSON(): unknown }).toJSON(), depth, ancestors);
  }
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => plainCopy(item, depth + 1, ancestors) ?? null);
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const copied = isSecretKeyName(key) ? REDACTED : plainCopy(item, depth + 1, ancestors);
      if (copied !== undefined) copy[key] = copied;
    }
    return copy;
  } finally {
    ancestors.delete(value);
  }
}

function fits(value: unknown): boolean {
  return JSON.stringify(value).length <= MAX_ERROR_DETAILS_CHARS;
}

function shrink(value: unknown, step: Shrink, depth: number): unknown {
  if (typeof value === 'string') return value.length > step.chars ? `${value.slice(0, step.chars)}…` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= step.depth) return null;
  if (Array.isArray(value)) return value.slice(0, step.items).map((item) => shrink(item, step, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value).slice(0, step.items))
    out[key] = shrink(item, step, depth + 1);
  return out;
}
