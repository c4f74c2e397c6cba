import type { APIGroup, JSONSchema } from '@agent-tool-protocol/protocol';
import { findLocalDefinition, parseDefinitionRef } from './refs.js';

/** Every `$ref` string in a schema (each object visited once, so cyclic graphs end). */
function collectRefs(schema: unknown, refs: Set<string>, seen: WeakSet<object>): void {
  if (typeof schema !== 'object' || schema === null || seen.has(schema)) return;
  seen.add(schema);
  if (Array.isArray(schema)) {
    for (const item of schema) collectRefs(item, refs, seen);
    return;
  }
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' && typeof value === 'string') refs.add(value);
    else if (key !== 'enum' && key !== 'const' && key !== 'default' && key !== 'examples')
      collectRefs(value, refs, seen);
  }
}

/**
 * `$ref`s of a group that the type generator cannot resolve (they become `unknown`), as
 * `<where>: <ref>` strings, so the catalog can warn once when the group is registered.
 */
export function unresolvedRefs(group: APIGroup): string[] {
  const definitions = group.definitions ?? {};
  const resolvable = (ref: string, root: JSONSchema): boolean => {
    if (ref === '#') return true;
    const parsed = parseDefinitionRef(ref);
    if (!parsed) return false;
    return findLocalDefinition(root, parsed) !== undefined || Object.hasOwn(definitions, parsed.name);
  };
  const problems: string[] = [];
  const check = (where: string, schema: unknown) => {
    if (typeof schema !== 'object' || schema === null) return;
    const refs = new Set<string>();
    collectRefs(schema, refs, new WeakSet());
    for (const ref of refs) if (!resolvable(ref, schema as JSONSchema)) problems.push(`${where}: ${ref}`);
  };
  for (const fn of group.functions) {
    check(`${fn.name} input`, fn.inputSchema);
    check(`${fn.name} output`, fn.outputSchema);
  }
  for (const [name, schema] of Object.entries(definitions)) check(`definitions.${name}`, schema);
  return problems;
}
