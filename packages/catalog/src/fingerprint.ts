import { createHash } from 'node:crypto';
import type { APIGroup } from '@agent-tool-protocol/protocol';

/** JSON with sorted keys; functions are skipped and cycles written as `"[Circular]"`. */
function stableJson(value: unknown, ancestors: Set<object>): string {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' || value === undefined ? 'null' : (JSON.stringify(value) ?? 'null');
  }
  if (ancestors.has(value)) return '"[Circular]"';
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return `[${value.map((item) => stableJson(item, ancestors)).join(',')}]`;
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined && typeof record[key] !== 'function')
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson(record[key], ancestors)}`).join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}

/** A hash of everything about a group that shows in definitions, search and explore. */
export function groupFingerprint(group: APIGroup): string {
  return createHash('sha256').update(stableJson(group, new Set())).digest('hex');
}

/** A short hash over several fingerprints (order-independent). */
export function combineFingerprints(fingerprints: Iterable<string>): string {
  return createHash('sha256')
    .update([...fingerprints].sort().join('\n'))
    .digest('hex')
    .slice(0, 12);
}
