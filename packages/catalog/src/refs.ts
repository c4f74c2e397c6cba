import type { JSONSchema } from '@agent-tool-protocol/protocol';

/** A `$ref` to a named definition: `#/$defs/X`, `#/definitions/X` or `#/components/schemas/X`. */
export interface DefinitionRef {
  container: '$defs' | 'definitions' | 'components/schemas';
  name: string;
}

const DEFINITION_REF = /^#\/(\$defs|definitions|components\/schemas)\/([^/]+)$/;

function decodePointerSegment(segment: string): string {
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // not percent-encoded: keep as written
  }
  return decoded.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function parseDefinitionRef(ref: string): DefinitionRef | undefined {
  const match = DEFINITION_REF.exec(ref);
  if (!match) return undefined;
  return { container: match[1] as DefinitionRef['container'], name: decodePointerSegment(match[2]!) };
}

function asSchemaMap(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The definition a ref names inside `root` (`$defs` and `definitions` are interchangeable). */
export function findLocalDefinition(root: JSONSchema, ref: DefinitionRef): unknown {
  if (ref.container === 'components/schemas') {
    const components = asSchemaMap(root.components);
    return asSchemaMap(components?.schemas)?.[ref.name];
  }
  const preferred = asSchemaMap(root[ref.container]);
  if (preferred && Object.hasOwn(preferred, ref.name)) return preferred[ref.name];
  const other = asSchemaMap(root[ref.container === '$defs' ? 'definitions' : '$defs']);
  return other && Object.hasOwn(other, ref.name) ? other[ref.name] : undefined;
}

/** The local definitions of a schema root (`$defs` and `definitions` merged, `$defs` first). */
export function localDefinitions(root: JSONSchema): Array<[string, unknown]> {
  const seen = new Set<string>();
  const result: Array<[string, unknown]> = [];
  for (const key of ['$defs', 'definitions']) {
    const map = asSchemaMap(root[key]);
    if (!map) continue;
    for (const [name, schema] of Object.entries(map)) {
      if (seen.has(name)) continue;
      seen.add(name);
      result.push([name, schema]);
    }
  }
  return result;
}
