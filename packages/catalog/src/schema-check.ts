import type { FieldIssue } from '@agent-tool-protocol/protocol';

// Structural checks of a JSON Schema: enough to catch typos (`type: 'strnig'`) and shapes the type
// generator cannot read, without being a full meta-schema validator.

export const JSON_SCHEMA_TYPES = [
  'string',
  'number',
  'integer',
  'boolean',
  'object',
  'array',
  'null',
] as const;
const TYPE_SET: ReadonlySet<string> = new Set(JSON_SCHEMA_TYPES);

const SCHEMA_KEYWORDS = ['not', 'additionalProperties', 'additionalItems', 'contains', 'propertyNames'];
const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_LIST_KEYWORDS = ['oneOf', 'anyOf', 'allOf', 'prefixItems'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `"${value}"` : `a ${typeof value}`;
}

/** Collects every structural problem of `schema`; `path` prefixes each issue's field path. */
export function checkJsonSchema(schema: unknown, path: string, issues: FieldIssue[]): void {
  walk(schema, path, issues, new WeakSet());
}

function walk(schema: unknown, path: string, issues: FieldIssue[], seen: WeakSet<object>): void {
  if (typeof schema === 'boolean') return;
  if (!isPlainObject(schema)) {
    issues.push({ path, message: `must be a JSON Schema object or boolean, got ${describe(schema)}` });
    return;
  }
  // Dereferenced OpenAPI documents can be cyclic object graphs: check each node once.
  if (seen.has(schema)) return;
  seen.add(schema);

  checkType(schema.type, `${path}.type`, issues);
  if (schema.required !== undefined) {
    const ok = Array.isArray(schema.required) && schema.required.every((item) => typeof item === 'string');
    if (!ok)
      issues.push({ path: `${path}.required`, message: 'must be an array of property names (strings)' });
  }
  if (schema.enum !== undefined && !Array.isArray(schema.enum)) {
    issues.push({ path: `${path}.enum`, message: `must be an array, got ${describe(schema.enum)}` });
  }
  if (schema.$ref !== undefined && typeof schema.$ref !== 'string') {
    issues.push({ path: `${path}.$ref`, message: `must be a string, got ${describe(schema.$ref)}` });
  }
  if (schema.nullable !== undefined && typeof schema.nullable !== 'boolean') {
    issues.push({ path: `${path}.nullable`, message: `must be a boolean, got ${describe(schema.nullable)}` });
  }
  for (const keyword of SCHEMA_KEYWORDS) {
    if (schema[keyword] !== undefined) walk(schema[keyword], `${path}.${keyword}`, issues, seen);
  }
  for (const keyword of SCHEMA_MAP_KEYWORDS) {
    const map = schema[keyword];
    if (map === undefined) continue;
    if (!isPlainObject(map)) {
      issues.push({
        path: `${path}.${keyword}`,
        message: `must be an object of schemas, got ${describe(map)}`,
      });
      continue;
    }
    for (const [key, child] of Object.entries(map)) walk(child, `${path}.${keyword}.${key}`, issues, seen);
  }
  for (const keyword of SCHEMA_LIST_KEYWORDS) {
    const list = schema[keyword];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length === 0) {
      issues.push({ path: `${path}.${keyword}`, message: 'must be a non-empty array of schemas' });
      continue;
    }
    list.forEach((child, index) => {
      walk(child, `${path}.${keyword}.${index}`, issues, seen);
    });
  }
  const items = schema.items;
  if (Array.isArray(items)) {
    items.forEach((child, index) => {
      walk(child, `${path}.items.${index}`, issues, seen);
    });
  } else if (items !== undefined) walk(items, `${path}.items`, issues, seen);
}

function checkType(type: unknown, path: string, issues: FieldIssue[]): void {
  if (type === undefined) return;
  const types = Array.isArray(type) ? type : [type];
  if (types.length === 0) {
    issues.push({ path, message: 'must not be an empty array' });
    return;
  }
  for (const item of types) {
    if (typeof item !== 'string' || !TYPE_SET.has(item)) {
      issues.push({
        path,
        message: `unknown type ${describe(item)} (expected one of ${JSON_SCHEMA_TYPES.join(', ')})`,
      });
    }
  }
}
