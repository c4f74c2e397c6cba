import type { JSONSchema } from '@agent-tool-protocol/protocol';
import { isRecord, pointerSegments, resolvePointer } from './pointer.js';

/** Keywords whose value is one subschema. */
const SINGLE_SCHEMA_KEYWORDS = [
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
  'additionalItems',
];
/** Keywords whose value is a list of subschemas. */
const LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
/** Keywords whose value maps names to subschemas. */
const MAP_KEYWORDS = ['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions'];
/** OpenAPI-only keywords with no JSON Schema meaning, dropped from the output. */
const DROPPED_KEYWORDS = new Set([
  'nullable',
  'x-nullable',
  'discriminator',
  'xml',
  'externalDocs',
  'example',
  '$id',
]);

/**
 * Turns OpenAPI schemas (3.0 dialect, 3.1 JSON Schema, Swagger 2.0) into JSON Schema whose `$ref`s point at
 * `#/$defs/<Name>`. Every referenced schema becomes one named definition, converted once on first use, so
 * circular schemas stay finite.
 */
export class SchemaConverter {
  readonly definitions: Record<string, JSONSchema> = {};
  private readonly nameByRef = new Map<string, string>();
  private readonly usedNames = new Set<string>();

  constructor(private readonly document: unknown) {}

  convert(schema: unknown, where: string): JSONSchema {
    const converted = this.walk(schema, where);
    return typeof converted === 'boolean' ? (converted ? {} : { not: {} }) : converted;
  }

  /** The definition name a local `$ref` maps to, converting its target on first use. */
  refName(ref: string, where: string): string {
    const known = this.nameByRef.get(ref);
    if (known !== undefined) return known;
    const target = resolvePointer(this.document, ref, where);
    const name = this.uniqueName(definitionName(ref));
    this.nameByRef.set(ref, name);
    this.definitions[name] = {}; // placeholder: a cycle back to `ref` finds the name
    this.definitions[name] = this.convert(target, ref);
    return name;
  }

  private uniqueName(base: string): string {
    let name = base;
    for (let n = 2; this.usedNames.has(name); n++) name = `${base}${n}`;
    this.usedNames.add(name);
    return name;
  }

  private walk(schema: unknown, where: string): JSONSchema | boolean {
    if (typeof schema === 'boolean') return schema;
    if (!isRecord(schema)) return {};
    const out: JSONSchema = {};
    for (const [key, value] of Object.entries(schema)) {
      if (DROPPED_KEYWORDS.has(key) || key.startsWith('x-')) continue;
      if (key === '$ref' && typeof value === 'string') {
        out.$ref = `#/$defs/${this.refName(value, where)}`;
      } else if (key === 'items') {
        if (Array.isArray(value)) out.prefixItems = value.map((item) => this.walk(item, where));
        else out.items = this.walk(value, where);
      } else if (key === 'additionalProperties') {
        out.additionalProperties = typeof value === 'boolean' ? value : this.walk(value, where);
      } else if (SINGLE_SCHEMA_KEYWORDS.includes(key)) {
        out[key] = this.walk(value, where);
      } else if (LIST_KEYWORDS.includes(key)) {
        // Some real specs write `allOf: {…}`; one subschema is what they mean.
        out[key] = (Array.isArray(value) ? value : [value]).map((item) => this.walk(item, where));
      } else if (
        (key === 'type' && !isValidType(value)) ||
        (key === 'pattern' && typeof value !== 'string')
      ) {
        // Invalid in the source spec: dropped rather than passed on as an invalid schema.
      } else if (MAP_KEYWORDS.includes(key) && isRecord(value)) {
        const mapped: Record<string, unknown> = {};
        for (const [name, child] of Object.entries(value)) mapped[name] = this.walk(child, where);
        out[key === 'definitions' ? '$defs' : key] = mapped;
      } else {
        out[key] = value;
      }
    }
    applyDialectFixes(schema, out);
    return out;
  }
}

/** 3.0/2.0 keywords that JSON Schema spells differently. */
function applyDialectFixes(source: Record<string, unknown>, out: JSONSchema): void {
  if (out.type === 'file') {
    out.type = 'string';
    out.format = 'binary';
  }
  if (typeof source.exclusiveMinimum === 'boolean') {
    if (source.exclusiveMinimum && typeof source.minimum === 'number') {
      out.exclusiveMinimum = source.minimum;
      delete out.minimum;
    } else delete out.exclusiveMinimum;
  }
  if (typeof source.exclusiveMaximum === 'boolean') {
    if (source.exclusiveMaximum && typeof source.maximum === 'number') {
      out.exclusiveMaximum = source.maximum;
      delete out.maximum;
    } else delete out.exclusiveMaximum;
  }
  // Examples are data; an example that is itself a `$ref` (to components/examples) is dropped.
  if ('example' in source && !('examples' in source) && !isReference(source.example))
    out.examples = [source.example];
  if (isRecord(source.examples)) out.examples = Object.values(source.examples).filter((e) => !isReference(e));
  if (Array.isArray(out.examples)) {
    out.examples = out.examples.filter((e) => !isReference(e));
    if ((out.examples as unknown[]).length === 0) delete out.examples;
  }
  if (typeof out.format === 'string' && !['string', undefined].includes(out.type as string | undefined)) {
    if (out.format === 'binary' || out.format === 'byte') delete out.format;
  }
  if (source.nullable === true || source['x-nullable'] === true) makeNullable(out);
}

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null', 'file']);

function isValidType(value: unknown): boolean {
  if (typeof value === 'string') return JSON_TYPES.has(value);
  return Array.isArray(value) && value.every((item) => typeof item === 'string' && JSON_TYPES.has(item));
}

function isReference(value: unknown): boolean {
  return isRecord(value) && typeof value.$ref === 'string';
}

function makeNullable(out: JSONSchema): void {
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
  } else if (Array.isArray(out.type)) {
    if (!out.type.includes('null')) out.type = [...out.type, 'null'];
  } else {
    const copy = { ...out };
    for (const key of Object.keys(out)) delete out[key];
    const description = copy.description;
    delete copy.description;
    out.anyOf = [copy, { type: 'null' }];
    if (description !== undefined) out.description = description;
  }
}

/** `#/components/schemas/simple-user` → `SimpleUser`; other pointers use their last meaningful segments. */
export function definitionName(ref: string): string {
  const segments = pointerSegments(ref);
  const named =
    segments.length === 3 && segments[0] === 'components' && segments[1] === 'schemas'
      ? [segments[2]]
      : segments.length === 2 && segments[0] === 'definitions'
        ? [segments[1]]
        : segments.filter((s) => !STRUCTURAL_SEGMENTS.has(s)).slice(-2);
  const pascal = named
    .flatMap((segment) => (segment ?? '').split(/[^A-Za-z0-9]+/))
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
  if (pascal === '') return 'Schema';
  return /^[0-9]/.test(pascal) ? `_${pascal}` : pascal;
}

const STRUCTURAL_SEGMENTS = new Set([
  'components',
  'schemas',
  'definitions',
  'paths',
  'properties',
  'items',
  'content',
  'schema',
  'responses',
  'requestBody',
  'parameters',
  'allOf',
  'anyOf',
  'oneOf',
  'application/json',
]);
