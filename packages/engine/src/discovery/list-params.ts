import { ValidationError } from '@agent-tool-protocol/protocol';

/** `a,b` or `['a', 'b']` as a list of trimmed, non-empty names (undefined when none). */
export function splitList(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : value.split(',')).map((item) => item.trim()).filter(Boolean);
  return items.length > 0 ? items : undefined;
}

/** A query parameter that must be a comma-separated string or a list of strings. */
export function stringListParam(value: unknown, field: string): string | string[] | undefined {
  if (value === undefined || typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  const message = 'must be a comma-separated string or a list of strings';
  throw new ValidationError(`Invalid definitions query: ${field}: ${message}`, [{ path: field, message }]);
}
