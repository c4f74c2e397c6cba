import type { JSONSchema } from '@agent-tool-protocol/protocol';
import { localDefinitions, parseDefinitionRef } from '../refs.js';

// Schemas arrive in several dialects: JSON Schema 2020-12 (OpenAPI 3.1, the OpenAPI loader's output),
// draft-07 and older (most MCP tools), OpenAPI 3.0 (`nullable`, boolean `exclusiveMinimum`). The
// validator compiles one dialect, 2020-12, so each schema is rewritten into it first. The rewrite also
// fixes references for the validator's layout (the group's shared definitions are one separate
// document) and makes a few deliberate choices that keep valid calls from being rejected:
// - `oneOf` is checked as `anyOf`: real specs write `oneOf` for alternatives that overlap;
// - a `readOnly` property is never required in an input (nor a `writeOnly` one in an output), as
//   OpenAPI prescribes for request and response bodies;
// - a `$ref` that cannot be resolved accepts anything (its declared type is `unknown` as well);
// - `format: binary` accepts any value (a string from agent code, bytes from a host caller).

export type SchemaSide = 'input' | 'output';

export interface NormalizeContext {
  side: SchemaSide;
  /** Names of the group's shared definitions. */
  groupDefinitions: ReadonlySet<string>;
  /** Where the group's definitions of this side are registered (`…#/$defs/<name>` reaches one). */
  definitionsId: string;
}

const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'dependentSchemas']);
const SCHEMA_LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SCHEMA_KEYWORDS = new Set([
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'additionalProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
]);
/** Keywords that would change how references resolve, or name a dialect the validator does not load. */
const DROPPED_KEYWORDS = new Set(['$schema', '$id', 'id', '$anchor', '$dynamicAnchor', '$recursiveAnchor']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON pointer segment inside a URI fragment (`~` and `/` escaped, then percent-encoded). */
function encodePointer(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));
}

/**
 * Rewrites one schema document. `kind: 'function'` is a function's input or output schema (its own
 * `$defs`/`definitions` come first, then the group's); `kind: 'definitions'` is the group's map of
 * shared definitions, which becomes the `$defs` of one document.
 */
class SchemaNormalizer {
  private readonly done = new Map<object, unknown>();
  private readonly active = new Set<object>();
  private readonly cycleNames = new Map<object, string>();
  private readonly cycleDefs: Record<string, unknown> = {};

  constructor(
    private readonly context: NormalizeContext,
    private readonly kind: 'function' | 'definitions',
    private readonly localNames: ReadonlySet<string>,
    private readonly root: unknown,
  ) {}

  /** Shared `$defs` for parts of cyclic object graphs (dereferenced specs), filled by `walk`. */
  get cycles(): Record<string, unknown> {
    return this.cycleDefs;
  }

  walk(node: unknown): unknown {
    if (typeof node === 'boolean') return node;
    if (!isRecord(node)) return {};
    if (this.active.has(node)) {
      // A back edge of a cyclic object graph becomes a reference to a hoisted copy.
      if (node === this.root && this.kind === 'function') return { $ref: '#' };
      let name = this.cycleNames.get(node);
      if (name === undefined) {
        name = `atp_cycle_${this.cycleNames.size + 1}`;
        this.cycleNames.set(node, name);
      }
      return { $ref: `#/$defs/${name}` };
    }
    const known = this.done.get(node);
    if (known !== undefined) return known;
    this.active.add(node);
    let out: unknown = this.rewrite(node);
    this.active.delete(node);
    const cycleName = this.cycleNames.get(node);
    if (cycleName !== undefined) {
      this.cycleDefs[cycleName] = out;
      out = { $ref: `#/$defs/${cycleName}` };
    }
    this.done.set(node, out);
    return out;
  }

  private rewrite(schema: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(schema)) {
      if (DROPPED_KEYWORDS.has(key)) continue;
      if (key === '$ref') {
        if (typeof value === 'string') {
          const target = this.reference(value);
          if (target !== undefined) out.$ref = target;
        }
      } else if (key === 'items') {
        if (Array.isArray(value)) {
          out.prefixItems = value.map((item) => this.walk(item));
          if (schema.additionalItems !== undefined) out.items = this.walk(schema.additionalItems);
        } else out.items = this.walk(value);
      } else if (key === 'additionalItems') {
        // Only meaningful next to an array `items` (handled there).
      } else if (SCHEMA_LIST_KEYWORDS.has(key)) {
        // Some real specs write `allOf: {…}`; one subschema is what they mean.
        out[key] = (Array.isArray(value) ? value : [value]).map((item) => this.walk(item));
      } else if (SCHEMA_KEYWORDS.has(key)) {
        out[key] = this.walk(value);
      } else if (key === '$defs' || key === 'definitions') {
        if (!isRecord(value)) continue;
        const defs = (out.$defs as Record<string, unknown> | undefined) ?? {};
        for (const [name, child] of Object.entries(value)) {
          if (key === '$defs' || !Object.hasOwn(defs, name)) defs[name] = this.walk(child);
        }
        out.$defs = defs;
      } else if (SCHEMA_MAP_KEYWORDS.has(key)) {
        if (!isRecord(value)) continue;
        const mapped: Record<string, unknown> = {};
        for (const [name, child] of Object.entries(value)) mapped[name] = this.walk(child);
        out[key] = mapped;
      } else if (key === 'dependencies') {
        if (!isRecord(value)) continue;
        for (const [name, dependency] of Object.entries(value)) {
          const target = Array.isArray(dependency) ? 'dependentRequired' : 'dependentSchemas';
          const map = (out[target] as Record<string, unknown> | undefined) ?? {};
          map[name] = Array.isArray(dependency) ? dependency : this.walk(dependency);
          out[target] = map;
        }
      } else if (key === 'required') {
        if (Array.isArray(value)) out.required = this.requiredOf(schema, value);
      } else if (key === 'nullable' || key === 'x-nullable') {
        // Applied below.
      } else {
        out[key] = value;
      }
    }
    fixExclusiveBounds(schema, out);
    oneOfAsAnyOf(out);
    // Binary content is opaque: a JSON string from agent code, bytes (Uint8Array, Blob) from a host caller.
    if (out.format === 'binary') {
      delete out.type;
      delete out.format;
    }
    if (schema.nullable === true || schema['x-nullable'] === true) return nullable(out);
    return out;
  }

  /** The reference as the validator resolves it; undefined when it cannot be resolved (then anything is accepted). */
  private reference(ref: string): string | undefined {
    if (ref === '#') return this.kind === 'function' ? '#' : undefined;
    const named = parseDefinitionRef(ref);
    if (named) {
      const pointer = encodePointer(named.name);
      if (
        this.kind === 'function' &&
        named.container !== 'components/schemas' &&
        this.localNames.has(named.name)
      )
        return `#/$defs/${pointer}`;
      if (this.context.groupDefinitions.has(named.name)) {
        return this.kind === 'function'
          ? `${this.context.definitionsId}#/$defs/${pointer}`
          : `#/$defs/${pointer}`;
      }
      return undefined;
    }
    // Other pointers into the same document: `definitions` is spelled `$defs` after the rewrite.
    if (ref.startsWith('#/')) return ref.replace(/\/definitions\//g, '/$defs/');
    return undefined;
  }

  /** `required` without properties the other side owns (`readOnly` in an input, `writeOnly` in an output). */
  private requiredOf(schema: Record<string, unknown>, required: unknown[]): unknown[] {
    const properties = isRecord(schema.properties) ? schema.properties : undefined;
    if (!properties) return required;
    const flag = this.context.side === 'input' ? 'readOnly' : 'writeOnly';
    return required.filter((name) => {
      if (typeof name !== 'string') return true;
      const property = properties[name];
      return !(isRecord(property) && property[flag] === true);
    });
  }
}

/** Draft-04 / OpenAPI 3.0 boolean `exclusiveMinimum`/`exclusiveMaximum` → the numeric form. */
function fixExclusiveBounds(source: Record<string, unknown>, out: Record<string, unknown>): void {
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof source[exclusive] !== 'boolean') continue;
    if (source[exclusive] === true && typeof source[bound] === 'number') {
      out[exclusive] = source[bound];
      delete out[bound];
    } else delete out[exclusive];
  }
}

/** `oneOf` checked as `anyOf` (at least one alternative matches), next to an `anyOf` of its own if any. */
function oneOfAsAnyOf(out: Record<string, unknown>): void {
  if (out.oneOf === undefined) return;
  const alternatives = out.oneOf;
  delete out.oneOf;
  if (out.anyOf === undefined) out.anyOf = alternatives;
  else out.allOf = [...((out.allOf as unknown[] | undefined) ?? []), { anyOf: alternatives }];
}

/** OpenAPI 3.0 `nullable: true`: `null` is allowed as well. */
function nullable(out: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] };
  if (Array.isArray(out.type))
    return out.type.includes('null') ? out : { ...out, type: [...out.type, 'null'] };
  return { anyOf: [out, { type: 'null' }] };
}

/** A function's input or output schema in the validator's dialect. */
export function normalizeFunctionSchema(
  schema: JSONSchema,
  context: NormalizeContext,
): Record<string, unknown> {
  const localNames = new Set(localDefinitions(schema).map(([name]) => name));
  const normalizer = new SchemaNormalizer(context, 'function', localNames, schema);
  const out = normalizer.walk(schema) as Record<string, unknown>;
  return withCycles(out, normalizer.cycles);
}

/** The group's shared definitions as one document (`{$id, $defs}`) in the validator's dialect. */
export function normalizeDefinitions(
  definitions: Record<string, JSONSchema>,
  context: NormalizeContext,
): Record<string, unknown> {
  const normalizer = new SchemaNormalizer(context, 'definitions', new Set(), undefined);
  const defs: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(definitions)) defs[name] = normalizer.walk(schema);
  return { $id: context.definitionsId, $defs: { ...defs, ...normalizer.cycles } };
}

function withCycles(out: Record<string, unknown>, cycles: Record<string, unknown>): Record<string, unknown> {
  if (Object.keys(cycles).length === 0) return out;
  if (typeof out.$ref === 'string' && Object.keys(out).length === 1) {
    // The root itself was hoisted: keep the reference, next to the hoisted definitions.
    return { ...out, $defs: cycles };
  }
  return { ...out, $defs: { ...((out.$defs as Record<string, unknown> | undefined) ?? {}), ...cycles } };
}
