import type { JSONSchema } from '@agent-tool-protocol/protocol';
import { findLocalDefinition, parseDefinitionRef } from '../refs.js';

// The schema of one item of a paged function, for the declared type of `paginate()` / `all()`: the
// output schema followed along `metadata.pagination.items`.

const MAX_REF_HOPS = 20;

function isSchema(value: unknown): value is JSONSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows `$ref`s (local, then the group's definitions) and drops the `null` branch of a nullable union. */
function settle(
  schema: unknown,
  root: JSONSchema,
  groupDefinitions: Record<string, JSONSchema>,
): JSONSchema | undefined {
  let current = schema;
  for (let hop = 0; hop < MAX_REF_HOPS; hop++) {
    if (!isSchema(current)) return undefined;
    if (typeof current.$ref === 'string') {
      const ref = parseDefinitionRef(current.$ref);
      if (ref === undefined) return undefined;
      current = findLocalDefinition(root, ref) ?? groupDefinitions[ref.name];
      continue;
    }
    const union = (current.anyOf ?? current.oneOf) as unknown;
    if (Array.isArray(union)) {
      const branches = union.filter((branch) => !(isSchema(branch) && branch.type === 'null'));
      if (branches.length !== 1) return current;
      current = branches[0];
      continue;
    }
    if (Array.isArray(current.allOf) && current.allOf.length === 1) {
      current = current.allOf[0];
      continue;
    }
    return current;
  }
  return undefined;
}

function typesOf(schema: JSONSchema): string[] {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
}

function isArraySchema(schema: JSONSchema): boolean {
  return typesOf(schema).includes('array') || (schema.type === undefined && schema.items !== undefined);
}

function property(schema: JSONSchema, name: string): unknown {
  const properties = schema.properties;
  if (isSchema(properties) && Object.hasOwn(properties, name)) return properties[name];
  // `allOf` parts (after `settle`, more than one): the first that has it.
  if (Array.isArray(schema.allOf)) {
    for (const part of schema.allOf) {
      if (isSchema(part) && isSchema(part.properties) && Object.hasOwn(part.properties, name)) {
        return part.properties[name];
      }
    }
  }
  return undefined;
}

/**
 * The item schema of a paged result: `items` is `metadata.pagination.items` (absent: the result's list,
 * or its only list-valued property). Undefined when the output schema does not describe that path.
 */
export function itemSchemaOf(
  output: JSONSchema,
  items: string | undefined,
  groupDefinitions: Record<string, JSONSchema>,
): JSONSchema | undefined {
  const root = output;
  const at = (schema: unknown) => settle(schema, root, groupDefinitions);
  let current = at(output);
  if (current === undefined) return undefined;
  if (items === undefined) {
    if (!isArraySchema(current)) {
      const properties = isSchema(current.properties) ? current.properties : {};
      const lists = Object.keys(properties).filter((key) => {
        const candidate = at(properties[key]);
        return candidate !== undefined && isArraySchema(candidate);
      });
      if (lists.length !== 1) return undefined;
      current = at(properties[lists[0]!]);
      if (current === undefined) return undefined;
    }
    return isSchema(current.items) ? current.items : undefined;
  }
  if (items === '') return isArraySchema(current) && isSchema(current.items) ? current.items : undefined;
  // With a `[]` step the path ends at one item (`edges[].node`); without, at the list (`data`).
  let last: unknown = output;
  for (const step of items.split('.')) {
    const mapped = step.endsWith('[]');
    const key = mapped ? step.slice(0, -2) : step;
    if (key !== '') {
      last = property(current, key);
      current = at(last);
      if (current === undefined) return undefined;
    }
    if (mapped) {
      if (!isArraySchema(current)) return undefined;
      last = current.items;
      current = at(last);
      if (current === undefined) return undefined;
    }
  }
  if (items.includes('[]')) return isSchema(last) ? withoutNull(last) : undefined;
  return isArraySchema(current) && isSchema(current.items) ? current.items : undefined;
}

/** A mapped path skips missing items (`edges[].node` yields no null nodes): the item type without `null`. */
function withoutNull(schema: JSONSchema): JSONSchema {
  const union = (schema.anyOf ?? schema.oneOf) as unknown;
  if (!Array.isArray(union)) return schema;
  const branches = union.filter((branch) => !(isSchema(branch) && branch.type === 'null'));
  return branches.length === 1 && isSchema(branches[0]) ? branches[0] : schema;
}
