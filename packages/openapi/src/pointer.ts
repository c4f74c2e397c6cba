import { ConfigError } from '@agent-tool-protocol/protocol';

/** Splits a local JSON pointer (`#/components/schemas/Pet`) into unescaped segments. */
export function pointerSegments(ref: string): string[] {
  if (ref === '#' || ref === '#/') return [];
  return ref
    .slice(2)
    .split('/')
    .map((segment) => decodeURIComponent(segment).replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** The value a local `$ref` points to; a ConfigError naming the ref and where it was used otherwise. */
export function resolvePointer(document: unknown, ref: string, where: string): unknown {
  if (!ref.startsWith('#')) {
    throw new ConfigError(`Unresolved external $ref "${ref}" at ${where}`);
  }
  let current: unknown = document;
  for (const segment of pointerSegments(ref)) {
    if (typeof current !== 'object' || current === null || !(segment in current)) {
      throw new ConfigError(`Cannot resolve $ref "${ref}" at ${where}: "${segment}" does not exist`);
    }
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** Follows `$ref` chains of non-schema objects (parameters, request bodies, responses). */
export function deref<T>(document: unknown, value: T, where: string): T {
  let current: unknown = value;
  const seen = new Set<string>();
  while (isRecord(current) && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (seen.has(ref)) throw new ConfigError(`Circular $ref "${ref}" at ${where}`);
    seen.add(ref);
    current = resolvePointer(document, ref, where);
  }
  return current as T;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
