import type { APIGroup, JSONSchema } from '@agent-tool-protocol/protocol';
import Ajv2020 from 'ajv/dist/2020';

/** Every `$ref` string inside a schema. */
function refsOf(schema: unknown, found: string[] = []): string[] {
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
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
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

/** A validator for one function's output (or input), with the group's definitions attached. */
export function compileSchema(group: APIGroup, schema: JSONSchema) {
  return new Ajv2020({ strict: false, validateFormats: false }).compile({
    ...schema,
    $defs: group.definitions ?? {},
  });
}
