import type { JSONSchema } from '@agent-tool-protocol/protocol';
import { propertyKey } from './identifiers.js';
import { findLocalDefinition, parseDefinitionRef } from './refs.js';

export interface JsonSchemaToTypeScriptOptions {
  /**
   * The type expression for a `$ref` (usually a named type). Return `undefined` to fall back to
   * inlining a local `#/$defs/X` / `#/definitions/X` of `root` (cycles become `unknown`).
   */
  resolveRef?: (ref: string) => string | undefined;
  /** The schema local refs point into; defaults to the schema itself. */
  root?: JSONSchema;
  /** Indentation of the line the type starts on; nested members indent two more spaces. */
  indent?: string;
  /** Everything on one line, without JSDoc (for one-line signatures). */
  singleLine?: boolean;
  /** Nesting deeper than this renders `unknown`. Default 32. */
  maxDepth?: number;
}

type Schema = Record<string, unknown>;

function isSchemaObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Renders a JSON Schema as a TypeScript type expression. Deterministic: the same schema and
 * options always give the same text. Rules are listed in docs/catalog.md "Type generation".
 */
export function jsonSchemaToTypeScript(
  schema: JSONSchema | boolean | undefined,
  options: JsonSchemaToTypeScriptOptions = {},
): string {
  const root = options.root ?? (isSchemaObject(schema) ? schema : {});
  return new SchemaPrinter(root, options).render(schema, options.indent ?? '', 0);
}

/** True when `text` has one of `separators` outside brackets and string literals. */
function hasTopLevel(text: string, separators: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quote) {
      if (char === '\\') index++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if ('{[(<'.includes(char)) depth++;
    else if ('}])>'.includes(char)) depth--;
    else if (depth === 0 && separators.includes(char)) return true;
  }
  return false;
}

/** Parenthesizes a union or intersection so it can be an array element or an operand. */
export function wrapType(type: string, separators = '|&'): string {
  return hasTopLevel(type, separators) ? `(${type})` : type;
}

function union(types: string[]): string {
  const unique = [...new Set(types)];
  if (unique.includes('unknown')) return 'unknown';
  if (unique.length === 0) return 'never';
  return unique.length === 1 ? unique[0]! : unique.map((type) => wrapType(type, '&')).join(' | ');
}

function intersection(types: string[]): string {
  const unique = [...new Set(types)].filter((type) => type !== 'unknown');
  if (unique.length === 0) return 'unknown';
  return unique.length === 1 ? unique[0]! : unique.map((type) => wrapType(type)).join(' & ');
}

function literal(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'number';
  if (typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return 'unknown';
}

function escapeComment(text: string): string {
  return text.replace(/\*\//g, '*\\/');
}

/** JSDoc lines for a schema: description, then `@format`, `@default`, `@deprecated`. */
export function schemaDocLines(schema: unknown): string[] {
  if (!isSchemaObject(schema)) return [];
  const lines: string[] = [];
  const description = typeof schema.description === 'string' ? schema.description.trim() : '';
  if (description) lines.push(...description.split(/\r?\n/));
  else if (typeof schema.title === 'string' && schema.title.trim()) lines.push(schema.title.trim());
  if (typeof schema.format === 'string') lines.push(`@format ${schema.format}`);
  if (schema.default !== undefined) {
    const text = JSON.stringify(schema.default) ?? '';
    lines.push(`@default ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`);
  }
  if (schema.deprecated === true) lines.push('@deprecated');
  return lines.map(escapeComment);
}

/** A JSDoc block at `indent`, or nothing when there are no lines. */
export function jsDoc(lines: string[], indent: string): string {
  if (lines.length === 0) return '';
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((line) => `${indent} *${line ? ` ${line}` : ''}`).join('\n')}\n${indent} */\n`;
}

class SchemaPrinter {
  private readonly stack = new Set<object>();
  private readonly inlining = new Set<string>();
  private readonly maxDepth: number;

  constructor(
    private readonly root: JSONSchema,
    private readonly options: JsonSchemaToTypeScriptOptions,
  ) {
    this.maxDepth = options.maxDepth ?? 32;
  }

  render(schema: unknown, indent: string, depth: number): string {
    if (schema === undefined || schema === true) return 'unknown';
    if (schema === false) return 'never';
    if (!isSchemaObject(schema) || depth > this.maxDepth || this.stack.has(schema)) return 'unknown';
    this.stack.add(schema);
    try {
      const type = this.renderSchema(schema, indent, depth);
      return schema.nullable === true ? union([type, 'null']) : type;
    } finally {
      this.stack.delete(schema);
    }
  }

  private renderSchema(schema: Schema, indent: string, depth: number): string {
    if (typeof schema.$ref === 'string') return this.renderRef(schema.$ref, indent, depth);
    if (schema.const !== undefined) return literal(schema.const);
    if (Array.isArray(schema.enum)) return union(schema.enum.map(literal));

    const parts: string[] = [];
    const base = this.renderBaseType(schema, indent, depth);
    if (base !== undefined) parts.push(base);
    for (const keyword of ['oneOf', 'anyOf']) {
      const options = schema[keyword];
      if (Array.isArray(options) && options.length > 0) {
        parts.push(union(options.map((option) => this.render(option, indent, depth + 1))));
      }
    }
    if (Array.isArray(schema.allOf)) {
      for (const member of schema.allOf) parts.push(this.render(member, indent, depth + 1));
    }
    return parts.length === 0 ? 'unknown' : intersection(parts);
  }

  private renderRef(ref: string, indent: string, depth: number): string {
    const named = this.options.resolveRef?.(ref);
    if (named !== undefined) return named;
    const parsed = parseDefinitionRef(ref);
    if (ref === '#') return this.inline('#', this.root, indent, depth);
    if (!parsed) return 'unknown';
    return this.inline(ref, findLocalDefinition(this.root, parsed), indent, depth);
  }

  private inline(ref: string, target: unknown, indent: string, depth: number): string {
    if (target === undefined || this.inlining.has(ref)) return 'unknown';
    this.inlining.add(ref);
    try {
      return this.render(target, indent, depth + 1);
    } finally {
      this.inlining.delete(ref);
    }
  }

  /** The part of the type `type` (or its absence) implies; undefined when only combinators speak. */
  private renderBaseType(schema: Schema, indent: string, depth: number): string | undefined {
    const declared = schema.type;
    if (Array.isArray(declared)) {
      return union(declared.map((type) => this.renderNamedType(String(type), schema, indent, depth)));
    }
    if (typeof declared === 'string') return this.renderNamedType(declared, schema, indent, depth);
    const looksLikeObject = ['properties', 'additionalProperties', 'patternProperties', 'required'].some(
      (keyword) => schema[keyword] !== undefined,
    );
    if (looksLikeObject) return this.renderObject(schema, indent, depth);
    if (schema.items !== undefined || schema.prefixItems !== undefined)
      return this.renderArray(schema, indent, depth);
    const hasCombinators = ['oneOf', 'anyOf', 'allOf'].some((keyword) => Array.isArray(schema[keyword]));
    return hasCombinators ? undefined : 'unknown';
  }

  private renderNamedType(type: string, schema: Schema, indent: string, depth: number): string {
    switch (type) {
      case 'string':
        return 'string';
      case 'number':
      case 'integer':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'array':
        return this.renderArray(schema, indent, depth);
      case 'object':
        return this.renderObject(schema, indent, depth);
      default:
        return 'unknown';
    }
  }

  private renderArray(schema: Schema, indent: string, depth: number): string {
    const tupleItems = Array.isArray(schema.prefixItems)
      ? schema.prefixItems
      : Array.isArray(schema.items)
        ? schema.items
        : undefined;
    if (tupleItems) {
      const rest = Array.isArray(schema.prefixItems) ? schema.items : schema.additionalItems;
      const minItems = typeof schema.minItems === 'number' ? schema.minItems : tupleItems.length;
      const elements = tupleItems.map((item, index) => {
        const element = this.render(item, indent, depth + 1);
        return index >= minItems ? `${wrapType(element)}?` : element;
      });
      if (rest !== undefined && rest !== false)
        elements.push(`...${wrapType(this.render(rest, indent, depth + 1))}[]`);
      return `[${elements.join(', ')}]`;
    }
    if (schema.items === undefined) return 'unknown[]';
    return `${wrapType(this.render(schema.items, indent, depth + 1))}[]`;
  }

  private renderObject(schema: Schema, indent: string, depth: number): string {
    const properties = isSchemaObject(schema.properties) ? Object.entries(schema.properties) : [];
    const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
    const additional = schema.additionalProperties;
    const hasPatterns = isSchemaObject(schema.patternProperties);

    let indexType: string | undefined;
    if (additional === false) indexType = undefined;
    else if (isSchemaObject(additional) && properties.length === 0 && !hasPatterns) {
      indexType = this.render(additional, `${indent}  `, depth + 1);
    } else if (additional !== undefined || hasPatterns || properties.length === 0) {
      // With named properties the index signature must accept every property type.
      indexType = 'unknown';
    }

    if (properties.length === 0) {
      if (indexType === undefined) return 'Record<string, never>';
      return `{ [key: string]: ${indexType} }`;
    }

    const memberIndent = `${indent}  `;
    const members = properties.map(([name, propertySchema]) => {
      const optional = required.has(name) ? '' : '?';
      const type = this.render(propertySchema, memberIndent, depth + 1);
      const member = `${propertyKey(name)}${optional}: ${type};`;
      if (this.options.singleLine) return member;
      return `${jsDoc(schemaDocLines(propertySchema), memberIndent)}${memberIndent}${member}`;
    });
    if (indexType !== undefined) {
      const member = `[key: string]: ${indexType};`;
      members.push(this.options.singleLine ? member : `${memberIndent}${member}`);
    }
    if (this.options.singleLine) return `{ ${members.join(' ').replace(/;$/, '')} }`;
    return `{\n${members.join('\n')}\n${indent}}`;
  }
}
