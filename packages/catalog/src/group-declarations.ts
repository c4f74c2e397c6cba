import type { JSONSchema } from '@agent-tool-protocol/protocol';
import type { CompiledGroup, FunctionEntry, SchemaSide } from './compiled-group.js';
import { propertyKey } from './identifiers.js';
import { INFERRED_MARKER } from './infer-schema.js';
import { itemSchemaOf } from './pagination/item-schema.js';
import { findLocalDefinition, parseDefinitionRef } from './refs.js';
import { jsDoc, jsonSchemaToTypeScript, schemaDocLines } from './schema-to-ts.js';

// TypeScript text for one group: named types (inputs, outputs, definitions) and the group's member
// of `declare const api`. Everything here is memoized on the (immutable) CompiledGroup.

type RefResolver = (ref: string) => string;

interface PendingType {
  name: string;
  schema: unknown;
  root: JSONSchema;
  resolveRef: RefResolver;
}

/** Writes named types, following `$ref`s so each referenced definition is declared exactly once. */
class GroupTypeWriter {
  private readonly declared = new Set<string>();
  private readonly queue: PendingType[] = [];
  private readonly output: string[] = [];
  private readonly groupRoot: JSONSchema;

  constructor(private readonly compiled: CompiledGroup) {
    this.groupRoot = { $defs: compiled.group.definitions ?? {} };
  }

  addFunction(entry: FunctionEntry): void {
    for (const side of ['input', 'output'] as const) {
      const schema = this.compiled.schemaOf(entry, side);
      if (!schema) continue;
      const name = side === 'input' ? entry.inputTypeName : entry.outputTypeName;
      this.enqueue({ name, schema, root: schema, resolveRef: this.functionResolver(entry, side) });
    }
    if (entry.itemTypeName !== undefined) {
      const output = this.compiled.schemaOf(entry, 'output') ?? {};
      const item = itemSchemaOf(
        output,
        entry.fn.metadata?.pagination?.items,
        (this.compiled.group.definitions ?? {}) as Record<string, JSONSchema>,
      );
      this.enqueue({
        name: entry.itemTypeName,
        schema: item ?? {},
        root: output,
        resolveRef: this.functionResolver(entry, 'output'),
      });
    }
    this.drain();
  }

  text(): string {
    return this.output.join('\n');
  }

  functionResolver(entry: FunctionEntry, side: SchemaSide): RefResolver {
    const root = this.compiled.schemaOf(entry, side) ?? {};
    const resolver: RefResolver = (ref) => {
      if (ref === '#') return side === 'input' ? entry.inputTypeName : entry.outputTypeName;
      const parsed = parseDefinitionRef(ref);
      if (!parsed) return 'unknown';
      if (parsed.container !== 'components/schemas') {
        const name = this.compiled.localDefinitionName(entry, side, parsed.name);
        const target = findLocalDefinition(root, parsed);
        if (name !== undefined && target !== undefined) {
          this.enqueue({ name, schema: target, root, resolveRef: resolver });
          return name;
        }
      }
      return this.groupDefinitionRef(parsed.name);
    };
    return resolver;
  }

  private readonly groupResolver: RefResolver = (ref) => {
    const parsed = parseDefinitionRef(ref);
    return parsed ? this.groupDefinitionRef(parsed.name) : 'unknown';
  };

  private groupDefinitionRef(definition: string): string {
    const name = this.compiled.groupDefinitionName(definition);
    if (name === undefined) return 'unknown';
    const schema = this.compiled.group.definitions?.[definition];
    this.enqueue({ name, schema, root: this.groupRoot, resolveRef: this.groupResolver });
    return name;
  }

  private enqueue(pending: PendingType): void {
    if (this.declared.has(pending.name)) return;
    this.declared.add(pending.name);
    this.queue.push(pending);
  }

  private drain(): void {
    for (let pending = this.queue.shift(); pending; pending = this.queue.shift()) {
      const { name, schema, root, resolveRef } = pending;
      const type = jsonSchemaToTypeScript(schema as JSONSchema, { root, resolveRef });
      const doc = schemaDocLines(schema);
      if ((schema as JSONSchema | undefined)?.[INFERRED_MARKER] === true) {
        doc.push(
          '@inferred from observed results (the function declares no output schema); fields may be missing',
        );
      }
      this.output.push(`${jsDoc(doc, '')}type ${name} = ${type};`);
    }
  }
}

/** Every named type the group's functions need, each once. */
export function groupTypeDeclarations(compiled: CompiledGroup): string {
  return compiled.cached('types', () => {
    const writer = new GroupTypeWriter(compiled);
    for (const entry of compiled.entries) writer.addFunction(entry);
    return writer.text();
  });
}

function inputIsOptional(schema: JSONSchema | undefined): boolean {
  if (!schema) return true;
  const combinators = ['$ref', 'oneOf', 'anyOf', 'allOf', 'enum', 'const'].some(
    (key) => schema[key] !== undefined,
  );
  const isObject = schema.type === 'object' || (schema.type === undefined && schema.properties !== undefined);
  const required = Array.isArray(schema.required) ? schema.required : [];
  return isObject && !combinators && required.length === 0;
}

/** `(input: GithubIssuesCreateInput): Promise<GithubIssuesCreateOutput>` */
function callSignature(compiled: CompiledGroup, entry: FunctionEntry): string {
  const outputType = compiled.schemaOf(entry, 'output') ? entry.outputTypeName : 'unknown';
  return `(${inputParameter(compiled, entry)}): Promise<${outputType}>`;
}

function inputParameter(compiled: CompiledGroup, entry: FunctionEntry): string {
  const input = compiled.schemaOf(entry, 'input');
  return `input${inputIsOptional(input) ? '?' : ''}: ${input ? entry.inputTypeName : 'Record<string, unknown>'}`;
}

const PAGE_OPTIONS = '{ max?: number }';
const CAP = "(default: the server's cap, 1,000 unless configured)";
const PAGINATE_DOC = `Every item of every page, fetched one page (one call) at a time as the loop asks for more; stops after \`max\` items ${CAP}.`;
const ALL_DOC = `Every item of every page as one array (one call per page); at most \`max\` items ${CAP}.`;

/** `paginate` and `all` of a function that pages, minus helpers a child function of that name shadows. */
function pagingMembers(
  compiled: CompiledGroup,
  entry: FunctionEntry,
  indent: string,
  prefix: string,
  shadowed: ReadonlySet<string> = new Set(),
): string[] {
  if (entry.itemTypeName === undefined) return [];
  const input = inputParameter(compiled, entry);
  const item = entry.itemTypeName;
  const lines: string[] = [];
  if (!shadowed.has('paginate')) {
    lines.push(
      `${jsDoc([PAGINATE_DOC], indent)}${indent}${prefix}paginate(${input}, options?: ${PAGE_OPTIONS}): AsyncIterable<${item}>;`,
    );
  }
  if (!shadowed.has('all')) {
    lines.push(
      `${jsDoc([ALL_DOC], indent)}${indent}${prefix}all(${input}, options?: ${PAGE_OPTIONS}): Promise<${item}[]>;`,
    );
  }
  return lines;
}

function functionDocLines(entry: FunctionEntry): string[] {
  const lines: string[] = [];
  const description = entry.fn.description?.trim();
  if (description) lines.push(...description.split(/\r?\n/));
  if (entry.fn.name !== entry.name) lines.push(`Original name: ${entry.fn.name}`);
  const metadata = entry.fn.metadata;
  if (metadata?.operationType) lines.push(`@operation ${metadata.operationType}`);
  if (metadata?.requiresApproval) lines.push('@requiresApproval');
  if (metadata?.pagination)
    lines.push(`@pages ${metadata.pagination.style}: use .paginate(input) or .all(input)`);
  return lines.map((line) => line.replace(/\*\//g, '*\\/'));
}

interface TreeNode {
  entry?: FunctionEntry;
  children: Map<string, TreeNode>;
}

function buildTree(entries: readonly FunctionEntry[]): TreeNode {
  const root: TreeNode = { children: new Map() };
  for (const entry of entries) {
    let node = root;
    for (const segment of entry.segments) {
      let child = node.children.get(segment);
      if (!child) {
        child = { children: new Map() };
        node.children.set(segment, child);
      }
      node = child;
    }
    node.entry = entry;
  }
  return root;
}

function renderNode(compiled: CompiledGroup, key: string, node: TreeNode, indent: string): string {
  const entry = node.entry;
  if (entry && node.children.size === 0 && entry.itemTypeName === undefined) {
    // `new(…)` in a type literal would declare a constructor, so that method name is quoted.
    const methodKey = key === 'new' ? '"new"' : propertyKey(key);
    return `${jsDoc(functionDocLines(entry), indent)}${indent}${methodKey}${callSignature(compiled, entry)};`;
  }
  const inner = `${indent}  `;
  const lines: string[] = [];
  // A name that is both a function and a namespace (`issues` and `issues.create`) is a callable object.
  // So is a function that pages: it has `paginate` and `all` (unless children of those names shadow them).
  if (entry) {
    lines.push(`${jsDoc(functionDocLines(entry), inner)}${inner}${callSignature(compiled, entry)};`);
    lines.push(...pagingMembers(compiled, entry, inner, '', new Set(node.children.keys())));
  }
  for (const [childKey, child] of node.children) lines.push(renderNode(compiled, childKey, child, inner));
  return `${indent}${propertyKey(key)}: {\n${lines.join('\n')}\n${indent}};`;
}

function memberDeclaration(compiled: CompiledGroup, entries: readonly FunctionEntry[]): string {
  const tree = buildTree(entries);
  const description = compiled.group.description?.trim();
  const doc = jsDoc(
    description ? description.split(/\r?\n/).map((line) => line.replace(/\*\//g, '*\\/')) : [],
    '  ',
  );
  return `${doc}${renderNode(compiled, compiled.alias, tree, '  ')}`;
}

/** The group's member of `declare const api: { … }`, indented for one level of nesting. */
export function groupMemberDeclaration(compiled: CompiledGroup): string {
  return compiled.cached('member', () => memberDeclaration(compiled, compiled.entries));
}

/** Named types and the `api` member for some of a group's functions (the `functions` filter). */
export function selectedGroupDeclarations(
  compiled: CompiledGroup,
  entries: readonly FunctionEntry[],
): { types: string; member: string } {
  const writer = new GroupTypeWriter(compiled);
  for (const entry of entries) writer.addFunction(entry);
  return { types: writer.text(), member: memberDeclaration(compiled, entries) };
}

const INLINE_TYPE_LIMIT = 200;

/**
 * A one-line signature for search results: `api.github.issues.create(input: { title: string }): Promise<…>`.
 * Types are written inline while short, otherwise by name.
 */
export function oneLineSignature(compiled: CompiledGroup, entry: FunctionEntry): string {
  return compiled.cached(`signature:${entry.index}`, () => {
    const writer = new GroupTypeWriter(compiled);
    const inline = (side: SchemaSide, fallback: string): string | undefined => {
      const schema = compiled.schemaOf(entry, side);
      if (!schema) return undefined;
      const text = jsonSchemaToTypeScript(schema, {
        root: schema,
        singleLine: true,
        resolveRef: writer.functionResolver(entry, side),
      });
      return text.length <= INLINE_TYPE_LIMIT ? text : fallback;
    };
    const input = compiled.schemaOf(entry, 'input');
    const inputType = inline('input', entry.inputTypeName) ?? 'Record<string, unknown>';
    const outputType = inline('output', entry.outputTypeName) ?? 'unknown';
    return `api.${entry.path}(input${inputIsOptional(input) ? '?' : ''}: ${inputType}): Promise<${outputType}>`;
  });
}

/**
 * The function's output type on one line when it has at most `limit` characters (`unknown` without
 * an output schema, declared or inferred); undefined when longer.
 */
export function shortOutputType(
  compiled: CompiledGroup,
  entry: FunctionEntry,
  limit: number,
): string | undefined {
  const text = compiled.cached(`output-type:${entry.index}`, () => {
    const schema = compiled.schemaOf(entry, 'output');
    if (!schema) return 'unknown';
    return jsonSchemaToTypeScript(schema, {
      root: schema,
      singleLine: true,
      resolveRef: new GroupTypeWriter(compiled).functionResolver(entry, 'output'),
    });
  });
  return text.length <= limit ? text : undefined;
}

/** The explore view of a function: its documented signature, then every type it uses. */
export function functionDefinition(compiled: CompiledGroup, entry: FunctionEntry): string {
  return compiled.cached(`definition:${entry.index}`, () => {
    const writer = new GroupTypeWriter(compiled);
    writer.addFunction(entry);
    const signature = [
      `${jsDoc(functionDocLines(entry), '')}api.${entry.path}${callSignature(compiled, entry)};`,
      ...pagingMembers(compiled, entry, '', `api.${entry.path}.`),
    ].join('\n');
    const types = writer.text();
    return types ? `${signature}\n\n${types}` : signature;
  });
}
