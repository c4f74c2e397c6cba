import type { APIGroup, JSONSchema } from '@agent-tool-protocol/protocol';
import Ajv2020 from 'ajv/dist/2020';

const ajv = new Ajv2020({ strict: false, validateFormats: false });

/** Every `$ref` string inside a schema. */
export function refsOf(schema: unknown, found: string[] = []): string[] {
  if (Array.isArray(schema)) for (const item of schema) refsOf(item, found);
  else if (typeof schema === 'object' && schema !== null) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else refsOf(value, found);
    }
  }
  return found;
}

/** Problems with a group's schemas: invalid JSON Schema (2020-12 meta-schema) or dangling `$ref`s. */
export function schemaProblems(group: APIGroup): string[] {
  const problems: string[] = [];
  const definitions = group.definitions ?? {};
  const check = (schema: JSONSchema | undefined, where: string) => {
    if (schema === undefined) return;
    if (!ajv.validateSchema(schema)) problems.push(`${where}: ${ajv.errorsText(ajv.errors)}`);
    for (const ref of refsOf(schema)) {
      const name = ref.startsWith('#/$defs/') ? ref.slice('#/$defs/'.length) : undefined;
      if (name === undefined || !(name in definitions)) problems.push(`${where}: dangling $ref ${ref}`);
    }
  };
  for (const fn of group.functions) {
    check(fn.inputSchema, `${fn.name} input`);
    check(fn.outputSchema, `${fn.name} output`);
  }
  for (const [name, schema] of Object.entries(definitions)) check(schema, `definition ${name}`);
  return problems;
}

/** Compiles a function schema with the group's definitions attached (proves refs and cycles resolve). */
export function compileWithDefinitions(group: APIGroup, schema: JSONSchema) {
  return new Ajv2020({ strict: false, validateFormats: false }).compile({
    ...schema,
    $defs: group.definitions,
  });
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Names that are not dotted paths of valid identifiers, and duplicates. */
export function nameProblems(group: APIGroup): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const namespaces = new Set(
    group.functions.flatMap((f) => (f.name.includes('.') ? [f.name.split('.')[0]] : [])),
  );
  for (const { name } of group.functions) {
    if (seen.has(name)) problems.push(`duplicate ${name}`);
    seen.add(name);
    if (!name.split('.').every((part) => IDENTIFIER.test(part))) problems.push(`invalid ${name}`);
    if (!name.includes('.') && namespaces.has(name)) problems.push(`${name} is also a namespace`);
  }
  return problems;
}
