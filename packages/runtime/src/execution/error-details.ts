import { createRedactor } from '@agent-tool-protocol/providers';

/** Largest `details` (as JSON text) a host error carries into the sandbox. */
export const MAX_ERROR_DETAILS_CHARS = 32_768;

/** Ever smaller views of details that are too large: items per array or object, chars per string, depth. */
const SHRINK_STEPS = [
  { items: 100, chars: 2_000, depth: 8 },
  { items: 20, chars: 500, depth: 6 },
  { items: 5, chars: 200, depth: 4 },
] as const;
type Shrink = (typeof SHRINK_STEPS)[number];

/**
 * The audit redactor: plain JSON out (no functions, cycles or bigints), secret-looking keys
 * (`token`, `authorization`, `apiKey`, …) and bearer/JWT values inside strings replaced by `[REDACTED]`.
 */
const redact = createRedactor({ arguments: 'keep' });

/** A host error message with bearer credentials and JWTs redacted, as in its details. */
export function redactMessage(message: string): string {
  return redact({ message }).message as string;
}

/**
 * A host error's `details` as the sandbox may see them: redacted, plain JSON, at most
 * MAX_ERROR_DETAILS_CHARS. Details that are too large are shortened (long arrays and strings cut,
 * deep levels dropped) and flagged `truncated`; left out when even that does not fit.
 */
export function sandboxErrorDetails(details: unknown): { details?: unknown; truncated?: true } {
  if (details === undefined) return {};
  let clean: unknown;
  try {
    clean = redact({ details }).details;
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
