import type { JSONSchema } from '@agent-tool-protocol/protocol';

// JSON Schema inferred from values: types and structure only, never a value (no enum, const,
// examples, defaults or string formats). Objects whose keys look like data (ids, emails, paths,
// numbers, more than MAX_PROPERTIES keys) become maps, so their keys are not kept either.

const MAX_DEPTH = 8;
const MAX_PROPERTIES = 64;
const MAX_ARRAY_SAMPLES = 32;
const MAX_UNION_VARIANTS = 6;
const PROPERTY_NAME = /^[A-Za-z_$][A-Za-z0-9_$-]{0,63}$/;
/** Keys that are data rather than field names: UUID/hex/number-ish or date-like. */
const DATA_LIKE_KEY = /^[0-9a-f]{8,}$|^[0-9a-f]{8}-[0-9a-f]{4}|\d{4}-\d{2}-\d{2}/i;

export const INFERRED_MARKER = 'x-atp-inferred';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function looksLikeMap(keys: readonly string[]): boolean {
  return (
    keys.length > MAX_PROPERTIES || keys.some((key) => !PROPERTY_NAME.test(key) || DATA_LIKE_KEY.test(key))
  );
}

/** Values looked at per observation: a huge result is typed from its first parts. */
const MAX_NODES = 5_000;

export interface InferOptions {
  /**
   * Keep object keys as property names (default true). False infers the shape only: every object is
   * a map (`additionalProperties`), so no text of the value, not even a key, is in the schema.
   */
  fieldNames?: boolean;
}

interface Walk {
  nodes: number;
  fieldNames: boolean;
}

/** The schema of one value. */
export function inferSchema(value: unknown, options: InferOptions = {}): JSONSchema {
  return inferNode(value, 0, { nodes: 0, fieldNames: options.fieldNames ?? true });
}

function inferNode(value: unknown, depth: number, budget: Walk): JSONSchema {
  if (depth > MAX_DEPTH || ++budget.nodes > MAX_NODES) return {};
  if (value === null) return { type: 'null' };
  if (value instanceof Date) return { type: 'string' };
  switch (typeof value) {
    case 'string':
      return { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'number':
      return { type: Number.isInteger(value) ? 'integer' : 'number' };
    case 'object':
      break;
    default:
      return {};
  }
  if (Array.isArray(value)) {
    let items: JSONSchema | undefined;
    for (const item of value.slice(0, MAX_ARRAY_SAMPLES)) {
      const schema = inferNode(item, depth + 1, budget);
      items = items ? mergeSchemas(items, schema) : schema;
    }
    return items ? { type: 'array', items } : { type: 'array' };
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter(
    (key) => record[key] !== undefined && typeof record[key] !== 'function',
  );
  if (!budget.fieldNames || looksLikeMap(keys)) {
    let values: JSONSchema | undefined;
    for (const key of keys.slice(0, MAX_ARRAY_SAMPLES)) {
      const schema = inferNode(record[key], depth + 1, budget);
      values = values ? mergeSchemas(values, schema) : schema;
    }
    return { type: 'object', additionalProperties: values ?? {} };
  }
  const properties: Record<string, JSONSchema> = {};
  for (const key of keys.sort()) properties[key] = inferNode(record[key], depth + 1, budget);
  return { type: 'object', properties, required: [...keys] };
}

function variants(schema: JSONSchema): JSONSchema[] {
  return Array.isArray(schema.anyOf) ? (schema.anyOf as JSONSchema[]) : [schema];
}

function isUnknown(schema: JSONSchema): boolean {
  return Object.keys(schema).length === 0;
}

function sameKind(a: JSONSchema, b: JSONSchema): boolean {
  const numeric = (type: unknown) => type === 'integer' || type === 'number';
  return a.type === b.type || (numeric(a.type) && numeric(b.type));
}

function mergeObjects(a: JSONSchema, b: JSONSchema): JSONSchema {
  const mapA = a.additionalProperties;
  const mapB = b.additionalProperties;
  if (isRecord(mapA) || isRecord(mapB)) {
    // Once a map, always a map: the other side's properties become map values.
    const values = [
      mapA,
      mapB,
      ...Object.values(a.properties ?? {}),
      ...Object.values(b.properties ?? {}),
    ].filter(isRecord) as JSONSchema[];
    const merged = values.reduce<JSONSchema | undefined>(
      (all, schema) => (all ? mergeSchemas(all, schema) : schema),
      undefined,
    );
    return { type: 'object', additionalProperties: merged ?? {} };
  }
  const propertiesA = (a.properties ?? {}) as Record<string, JSONSchema>;
  const propertiesB = (b.properties ?? {}) as Record<string, JSONSchema>;
  const keys = [...new Set([...Object.keys(propertiesA), ...Object.keys(propertiesB)])].sort();
  if (keys.length > MAX_PROPERTIES) return mergeObjects({ ...a, additionalProperties: {} }, b);
  const properties: Record<string, JSONSchema> = {};
  for (const key of keys) {
    const left = propertiesA[key];
    const right = propertiesB[key];
    properties[key] = left && right ? mergeSchemas(left, right) : (left ?? right)!;
  }
  const requiredB = new Set((b.required ?? []) as string[]);
  const required = ((a.required ?? []) as string[]).filter((key) => requiredB.has(key));
  return { type: 'object', properties, required };
}

function mergeSame(a: JSONSchema, b: JSONSchema): JSONSchema {
  if (a.type === 'object') return mergeObjects(a, b);
  if (a.type === 'array') {
    if (!a.items) return b;
    if (!b.items) return a;
    return { type: 'array', items: mergeSchemas(a.items as JSONSchema, b.items as JSONSchema) };
  }
  if (a.type !== b.type) return { type: 'number' };
  return a;
}

/** A schema that accepts what `a` and `b` accept (object properties seen in only one are optional). */
export function mergeSchemas(a: JSONSchema, b: JSONSchema): JSONSchema {
  if (isUnknown(a) || isUnknown(b)) return {};
  const merged: JSONSchema[] = [...variants(a)];
  for (const variant of variants(b)) {
    const index = merged.findIndex((existing) => sameKind(existing, variant));
    if (index >= 0) merged[index] = mergeSame(merged[index]!, variant);
    else merged.push(variant);
  }
  if (merged.length > MAX_UNION_VARIANTS) return {};
  return merged.length === 1 ? merged[0]! : { anyOf: merged };
}
