import type { JSONSchema } from '@agent-tool-protocol/protocol';
import type { CompiledGroup, FunctionEntry } from './compiled-group.js';
import { shortOutputType } from './group-declarations.js';

// The signature a search result carries: enough to write the call without a second round trip, in
// few tokens. The parameters of `api.<name>(…)`: required ones with a short type, the names of
// optional ones (`labels?`) while a small budget lasts, then how many more there are, and the output
// type when it is short and not just a type name. Full types: `explore` or `getDefinitions`.

/** Characters of parameters (required ones always shown) after which optional ones are counted, not named. */
const OPTIONAL_BUDGET = 8;
const MAX_TYPE_TEXT = 24;
/** Longer output types are left out (explore and getDefinitions give them). */
const OUTPUT_TYPE_LIMIT = 60;
const NAMED_TYPE = /^[A-Z][A-Za-z0-9_]*(\[\])?$/;

function isSchema(value: unknown): value is JSONSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short TypeScript type for a parameter: primitives, literal unions, arrays; `object` otherwise. */
export function shortType(schema: unknown, depth = 0): string {
  if (!isSchema(schema)) return 'unknown';
  if (typeof schema.$ref === 'string') return 'object';
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const literals = schema.enum.map((value) => JSON.stringify(value));
    const text = literals.join(' | ');
    return text.length <= MAX_TYPE_TEXT ? text : typeof schema.enum[0] === 'number' ? 'number' : 'string';
  }
  const variants = (schema.anyOf ?? schema.oneOf) as unknown;
  if (Array.isArray(variants) && depth < 2) {
    const types = [...new Set(variants.map((variant) => shortType(variant, depth + 1)))];
    const text = types.join(' | ');
    return text.length <= MAX_TYPE_TEXT ? text : 'unknown';
  }
  const type = Array.isArray(schema.type) ? schema.type.filter((t) => t !== 'null')[0] : schema.type;
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return depth < 2
        ? `${shortType(schema.items, depth + 1).replace(/^(.* \| .*)$/, '($1)')}[]`
        : 'unknown[]';
    case 'object':
      return 'object';
    default:
      return isSchema(schema.properties) ? 'object' : 'unknown';
  }
}

/** `{ a: string; b?; … 3 more }` of an object schema's properties, within `budget` characters. */
function objectText(schema: JSONSchema, budget: { left: number }, depth: number): string {
  const properties = isSchema(schema.properties) ? (schema.properties as Record<string, unknown>) : {};
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const names = Object.keys(properties);
  const ordered = [
    ...names.filter((name) => required.has(name)),
    ...names.filter((name) => !required.has(name)),
  ];
  const parts: string[] = [];
  for (const name of ordered) {
    const property = properties[name];
    let part: string;
    if (!required.has(name)) part = `${name}?`;
    else if (
      depth === 0 &&
      isSchema(property) &&
      isSchema(property.properties) &&
      Object.keys(property.properties).length > 0
    )
      // The request body as one parameter (OpenAPI): show its fields instead of `object`.
      part = `${name}: ${objectText(property, budget, depth + 1)}`;
    else part = `${name}: ${shortType(property)}`;
    // Required parameters are always shown; optional ones while the budget lasts.
    if (!required.has(name) && budget.left < part.length) break;
    budget.left -= part.length + 2;
    parts.push(part);
  }
  if (parts.length < ordered.length) parts.push(`… ${ordered.length - parts.length} more`);
  return parts.length === 0 ? '{}' : `{ ${parts.join('; ')} }`;
}

/**
 * `({ owner: string; repo: string; body: { title: string; … 7 more } }): Promise<T>`: the parameters
 * of `api.<name>(…)`, and the output type when it is short (declared or inferred).
 */
export function compactSignature(compiled: CompiledGroup, entry: FunctionEntry): string {
  const schema = entry.fn.inputSchema;
  const hasParameters = isSchema(schema?.properties) && Object.keys(schema.properties).length > 0;
  const input = schema && hasParameters ? objectText(schema, { left: OPTIONAL_BUDGET }, 0) : '';
  const output = shortOutputType(compiled, entry, OUTPUT_TYPE_LIMIT);
  // A bare declared type name (`GithubIssue`) says little without its declaration: left out.
  const shown = output !== undefined && !NAMED_TYPE.test(output);
  return shown ? `(${input}): Promise<${output}>` : `(${input})`;
}
