import type { JSONSchema } from '@agent-tool-protocol/protocol';

// A minimal value that matches a JSON Schema: what a planned write "returns" while it is only
// recorded. Required properties only; `default`, `const`, `examples` and `enum` win over types.

const MAX_DEPTH = 8;
const REF = /^#\/(?:\$defs|definitions|components\/schemas)\/([^/]+)$/;

type Definitions = Record<string, JSONSchema>;

const asSchema = (value: unknown): JSONSchema | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JSONSchema) : undefined;

function resolveRef(ref: string, root: JSONSchema, definitions: Definitions): JSONSchema | undefined {
  const name = REF.exec(ref)?.[1];
  if (name === undefined) return undefined;
  const decoded = decodeURIComponent(name).replace(/~1/g, '/').replace(/~0/g, '~');
  const local =
    asSchema(asSchema(root.$defs)?.[decoded]) ??
    asSchema(asSchema(root.definitions)?.[decoded]) ??
    asSchema(asSchema(asSchema(root.components)?.schemas)?.[decoded]);
  return local ?? asSchema(definitions[decoded]);
}

function firstType(schema: JSONSchema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return (type.find((entry) => entry !== 'null') ?? type[0]) as string | undefined;
  if (schema.properties !== undefined) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

function stringFor(schema: JSONSchema): string {
  switch (schema.format) {
    case 'date-time':
      return '1970-01-01T00:00:00.000Z';
    case 'date':
      return '1970-01-01';
    case 'uuid':
      return '00000000-0000-0000-0000-000000000000';
    case 'email':
      return 'planned@example.com';
    case 'uri':
    case 'url':
      return 'https://example.com/';
    default: {
      const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
      return 'x'.repeat(Math.min(min, 64));
    }
  }
}

function numberFor(schema: JSONSchema, integer: boolean): number {
  const minimum = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  const exclusive = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined;
  if (minimum !== undefined) return integer ? Math.ceil(minimum) : minimum;
  if (exclusive !== undefined) return integer ? Math.floor(exclusive) + 1 : exclusive + 1;
  return 0;
}

function synthesize(
  schema: JSONSchema | undefined,
  root: JSONSchema,
  definitions: Definitions,
  depth: number,
): unknown {
  if (schema === undefined || depth > MAX_DEPTH) return null;
  if (typeof schema.$ref === 'string') {
    return synthesize(resolveRef(schema.$ref, root, definitions), root, definitions, depth + 1);
  }
  if (schema.default !== undefined) return structuredClone(schema.default);
  if (schema.const !== undefined) return structuredClone(schema.const);
  if (Array.isArray(schema.examples) && schema.examples.length > 0)
    return structuredClone(schema.examples[0]);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return structuredClone(schema.enum[0]);
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf.map((part) => synthesize(asSchema(part), root, definitions, depth + 1));
    if (parts.every((part) => typeof part === 'object' && part !== null && !Array.isArray(part))) {
      return Object.assign({}, ...parts);
    }
    return parts[0] ?? null;
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) {
      const preferred = options
        .map(asSchema)
        .find((option) => option !== undefined && option.type !== 'null');
      return synthesize(preferred ?? asSchema(options[0]), root, definitions, depth + 1);
    }
  }
  switch (firstType(schema)) {
    case 'object': {
      const properties = asSchema(schema.properties) ?? {};
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      const value: Record<string, unknown> = {};
      for (const name of required) {
        value[name] = synthesize(asSchema(properties[name]), root, definitions, depth + 1);
      }
      return value;
    }
    case 'array': {
      const min = typeof schema.minItems === 'number' ? Math.min(schema.minItems, 8) : 0;
      return Array.from({ length: min }, () =>
        synthesize(asSchema(schema.items), root, definitions, depth + 1),
      );
    }
    case 'string':
      return stringFor(schema);
    case 'integer':
      return numberFor(schema, true);
    case 'number':
      return numberFor(schema, false);
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return {};
  }
}

const sameKind = (value: unknown, synthesized: unknown) =>
  typeof value === typeof synthesized && (typeof value !== 'object' || value === null);

/**
 * The smallest value matching `schema` (`$ref`s resolved in the schema itself, then in the group's
 * `definitions`). No schema: `{}`, which most agent code can read fields from without throwing.
 * With `input`, a top-level object echoes the input's primitive fields of the same name and kind
 * (`update({id})` "returns" that `id`), as most write APIs do.
 */
export function synthesizeFromSchema(
  schema: JSONSchema | undefined,
  definitions: Definitions = {},
  input?: unknown,
): unknown {
  if (schema === undefined) return {};
  const value = synthesize(schema, schema, definitions, 0);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return value;
  const echoed = value as Record<string, unknown>;
  for (const [key, member] of Object.entries(echoed)) {
    const given = (input as Record<string, unknown>)[key];
    if (given !== undefined && sameKind(given, member)) echoed[key] = given;
  }
  return echoed;
}
