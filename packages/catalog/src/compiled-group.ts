import {
  type APIGroup,
  type FunctionDef,
  type JSONSchema,
  type ResolvedFunction,
  toIdentifier,
} from '@agent-tool-protocol/protocol';
import { aliasFunctions } from './aliases.js';
import { NameAllocator, pascalCase, RESERVED_TYPE_NAMES } from './identifiers.js';
import { localDefinitions } from './refs.js';
import type { GroupChecks } from './validation/function-checks.js';

export type SchemaSide = 'input' | 'output';

/** One function of a registered group, with everything derived from its names. */
export interface FunctionEntry {
  readonly group: APIGroup;
  readonly groupAlias: string;
  readonly fn: FunctionDef;
  /** Position in `group.functions`. */
  readonly index: number;
  /** Alias path under the group (`issues.create`); what search calls `functionName`. */
  readonly name: string;
  readonly segments: readonly string[];
  /** Full alias path under `api` (`github.issues.create`): what agents call. */
  readonly path: string;
  /** `<group name>.<function name>` as registered, before aliasing. */
  readonly originalPath: string;
  readonly inputTypeName: string;
  readonly outputTypeName: string;
  /** The item type of `paginate()` / `all()`; only for functions that page. */
  readonly itemTypeName: string | undefined;
  readonly resolved: ResolvedFunction;
}

function isSchemaObject(value: unknown): value is JSONSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a resolved function reaches its output schema (declared, else inferred) for output checks. */
type OutputSchemaOf = (fn: FunctionDef) => { schema: JSONSchema | undefined; inferred: boolean };

function toResolved(
  group: APIGroup,
  fn: FunctionDef,
  path: string,
  name: string,
  checks: GroupChecks | undefined,
  outputOf: OutputSchemaOf,
): ResolvedFunction {
  const handler = fn.handler;
  if (!checks) {
    return {
      path,
      group: group.name,
      name,
      metadata: { ...fn.metadata, originalName: fn.name },
      // async: a handler that throws synchronously still yields a rejected promise. The whole
      // invocation context is passed on ({clientId, executionId, signal} and anything the runtime adds).
      call: async (input, context) => handler(input, { ...context }),
    };
  }
  return {
    path,
    group: group.name,
    name,
    metadata: { ...fn.metadata, originalName: fn.name },
    validateInput: (input) => checks.checkInput(path, fn, input),
    call: async (input, context) => {
      // The input is checked here too, so every caller of the dispatcher gets it (not only the runtime).
      checks.checkInput(path, fn, input);
      const result = await handler(input, { ...context });
      const output = outputOf(fn);
      checks.checkOutput(path, fn, output.schema, output.inferred, result);
      return result;
    },
  };
}

/**
 * A validated group with its aliases and type names fixed. Immutable: a change to the group is a
 * new CompiledGroup. `prefix` starts every type name of the group (`Github` → `GithubIssuesCreateInput`).
 */
export class CompiledGroup {
  readonly alias: string;
  readonly entries: readonly FunctionEntry[];
  /** Every type name this group declares. */
  readonly typeNames: ReadonlySet<string>;
  private readonly groupDefinitionNames = new Map<string, string>();
  private readonly localDefinitionNames = new Map<string, string>();
  /** Lazily generated text, keyed by what it is (`types`, `member`, `definition:3`, …). */
  private readonly textCache = new Map<string, string>();

  constructor(
    readonly group: APIGroup,
    readonly prefix: string,
    /** Output schemas inferred from results, by registered function name (only for functions without one). */
    readonly inferredOutputs: ReadonlyMap<string, JSONSchema> = new Map(),
    /** Input and output checks against the functions' schemas; none when validation is off. */
    readonly checks?: GroupChecks,
  ) {
    this.alias = toIdentifier(group.name);
    const names = new NameAllocator(RESERVED_TYPE_NAMES);
    const outputOf: OutputSchemaOf = (fn) =>
      isSchemaObject(fn.outputSchema)
        ? { schema: fn.outputSchema, inferred: false }
        : { schema: this.inferredOutputs.get(fn.name), inferred: true };
    this.entries = aliasFunctions(group.functions).map((alias, index) => {
      const base = `${prefix}${pascalCase(alias.name)}`;
      const path = `${this.alias}.${alias.name}`;
      return {
        group,
        groupAlias: this.alias,
        fn: alias.fn,
        index,
        name: alias.name,
        segments: alias.segments,
        path,
        originalPath: `${group.name}.${alias.fn.name}`,
        inputTypeName: names.allocate(`${base}Input`),
        outputTypeName: names.allocate(`${base}Output`),
        itemTypeName: alias.fn.metadata?.pagination ? names.allocate(`${base}Item`) : undefined,
        resolved: toResolved(group, alias.fn, path, alias.name, checks, outputOf),
      };
    });
    for (const name of Object.keys(group.definitions ?? {})) {
      this.groupDefinitionNames.set(name, names.allocate(`${prefix}${pascalCase(name)}`));
    }
    for (const entry of this.entries) {
      const base = `${prefix}${pascalCase(entry.name)}`;
      for (const side of ['input', 'output'] as const) {
        const root = this.schemaOf(entry, side);
        if (!root) continue;
        for (const [name] of localDefinitions(root)) {
          this.localDefinitionNames.set(
            `${entry.index}:${side}:${name}`,
            names.allocate(`${base}${pascalCase(name)}`),
          );
        }
      }
    }
    this.typeNames = new Set([
      ...this.entries.flatMap((entry) => [
        entry.inputTypeName,
        entry.outputTypeName,
        ...(entry.itemTypeName === undefined ? [] : [entry.itemTypeName]),
      ]),
      ...this.groupDefinitionNames.values(),
      ...this.localDefinitionNames.values(),
    ]);
  }

  schemaOf(entry: FunctionEntry, side: SchemaSide): JSONSchema | undefined {
    const schema = side === 'input' ? entry.fn.inputSchema : entry.fn.outputSchema;
    if (isSchemaObject(schema)) return schema;
    return side === 'output' ? this.inferredOutputs.get(entry.fn.name) : undefined;
  }

  groupDefinitionName(name: string): string | undefined {
    return this.groupDefinitionNames.get(name);
  }

  localDefinitionName(entry: FunctionEntry, side: SchemaSide, name: string): string | undefined {
    return this.localDefinitionNames.get(`${entry.index}:${side}:${name}`);
  }

  /** Memoizes `build()` under `key` for the life of this (immutable) group. */
  cached(key: string, build: () => string): string {
    let text = this.textCache.get(key);
    if (text === undefined) {
      text = build();
      this.textCache.set(key, text);
    }
    return text;
  }
}
