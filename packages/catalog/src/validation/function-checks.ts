import {
  type APIGroup,
  ErrorCode,
  type FieldIssue,
  type FunctionDef,
  type JSONSchema,
  ToolCallError,
  ValidationError,
} from '@agent-tool-protocol/protocol';
import type { CatalogLogger } from '../catalog-types.js';
import { GroupSchemaCompiler, type SchemaCheck } from './schema-compiler.js';

export type OutputValidationMode = 'off' | 'warn' | 'enforce';

export interface ValidationSettings {
  /** Check every input against the function's input schema before the handler runs (default true). */
  inputs: boolean;
  /** Check results against the declared (or inferred) output schema (default off). */
  outputs: OutputValidationMode;
  logger: CatalogLogger;
}

/** Whether one schema of a function compiled (`reason`: why not). */
export interface SchemaCompileResult {
  side: 'input' | 'output';
  compiled: boolean;
  reason?: string;
}

function isSchema(value: unknown): value is JSONSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Problems listed in an error message; the error's `issues` keep up to MAX_ISSUES. */
const MAX_ISSUES_SHOWN = 8;
const MAX_ISSUES = 50;
/** Distinct output problems logged per group before the rest are dropped (no log floods). */
const MAX_OUTPUT_WARNINGS = 200;

/** `crm.customers.list: input.tier must be one of "free", "pro"; got "enterprise"`, or a list. */
export function describeProblems(path: string, what: string, issues: readonly FieldIssue[]): string {
  const line = (issue: FieldIssue) => `${issue.path} ${issue.message}`;
  if (issues.length === 1) return `${path}: ${line(issues[0]!)}`;
  const shown = issues.slice(0, MAX_ISSUES_SHOWN).map((issue) => `- ${line(issue)}`);
  if (issues.length > MAX_ISSUES_SHOWN) shown.push(`- … and ${issues.length - MAX_ISSUES_SHOWN} more`);
  return `${path}: ${issues.length} problems with the ${what}:\n${shown.join('\n')}`;
}

/** The error for an input with `issues`, thrown before the function runs. */
export function inputError(path: string, issues: readonly FieldIssue[]): ValidationError {
  return new ValidationError(describeProblems(path, 'input', issues), issues.slice(0, MAX_ISSUES));
}

/**
 * The input and output checks of one API group's functions, compiled lazily on the first call of
 * each function (a group of thousands of operations costs nothing at registration). A schema that
 * does not compile leaves its function with the checks its handler makes itself, and is logged once.
 */
export class GroupChecks {
  private readonly compiler: GroupSchemaCompiler;
  private readonly inputChecks = new Map<FunctionDef, SchemaCheck | null>();
  private readonly outputChecks = new WeakMap<JSONSchema, SchemaCheck | null>();
  private readonly outputWarnings = new Set<string>();
  private readonly failures = new WeakMap<JSONSchema, string>();

  constructor(
    private readonly group: APIGroup,
    private readonly settings: ValidationSettings,
  ) {
    this.compiler = new GroupSchemaCompiler(group.definitions);
  }

  /** Throws a ValidationError naming every problem of `input` (none when there is nothing to check). */
  checkInput(path: string, fn: FunctionDef, input: unknown): void {
    if (!this.settings.inputs) return;
    let check = this.inputChecks.get(fn);
    if (check === undefined) {
      check = this.compile(fn, fn.inputSchema, 'input');
      this.inputChecks.set(fn, check);
    }
    const issues = check?.(input);
    if (issues !== undefined && issues.length > 0) throw inputError(path, issues);
  }

  /**
   * Checks a result against its output schema: `warn` logs each distinct problem once, `enforce`
   * throws for a declared schema. Inferred schemas are a guess from earlier results, never a
   * contract: their problems are only logged.
   */
  checkOutput(
    path: string,
    fn: FunctionDef,
    schema: JSONSchema | undefined,
    inferred: boolean,
    value: unknown,
  ): void {
    if (this.settings.outputs === 'off' || schema === undefined) return;
    let check = this.outputChecks.get(schema);
    if (check === undefined) {
      check = this.compile(fn, schema, 'output');
      this.outputChecks.set(schema, check);
    }
    const issues = check?.(value);
    if (issues === undefined || issues.length === 0) return;
    const message = describeProblems(
      path,
      inferred ? 'result (against its inferred type)' : 'result',
      issues,
    );
    if (this.settings.outputs === 'enforce' && !inferred) {
      throw new ToolCallError(
        `${message}\nThe API returned a result that breaks its declared output schema.`,
        {
          code: ErrorCode.INVALID_OUTPUT,
          details: { issues: issues.slice(0, MAX_ISSUES) },
        },
      );
    }
    const key = `${fn.name}\u0000${issues[0]!.path}\u0000${issues[0]!.message}`;
    if (this.outputWarnings.has(key) || this.outputWarnings.size >= MAX_OUTPUT_WARNINGS) return;
    this.outputWarnings.add(key);
    this.settings.logger.warn(
      { group: this.group.name, function: fn.name, inferred, issues: issues.slice(0, MAX_ISSUES_SHOWN) },
      `catalog: ${message}`,
    );
  }

  /**
   * Compiles the checks of `fn` now rather than on its first call; reports what could not be
   * compiled (and is therefore not checked). Output schemas count only when outputs are checked.
   */
  prepare(fn: FunctionDef, output: JSONSchema | undefined): SchemaCompileResult[] {
    const results: SchemaCompileResult[] = [];
    if (this.settings.inputs && isSchema(fn.inputSchema)) {
      if (!this.inputChecks.has(fn)) this.inputChecks.set(fn, this.compile(fn, fn.inputSchema, 'input'));
      results.push(this.resultOf(fn.inputSchema, 'input', this.inputChecks.get(fn)!));
    }
    if (this.settings.outputs !== 'off' && isSchema(output)) {
      if (!this.outputChecks.has(output)) this.outputChecks.set(output, this.compile(fn, output, 'output'));
      results.push(this.resultOf(output, 'output', this.outputChecks.get(output)!));
    }
    return results;
  }

  private resultOf(
    schema: JSONSchema,
    side: 'input' | 'output',
    check: SchemaCheck | null,
  ): SchemaCompileResult {
    if (check !== null) return { side, compiled: true };
    return { side, compiled: false, reason: this.failures.get(schema) ?? 'unknown' };
  }

  private compile(
    fn: FunctionDef,
    schema: JSONSchema | undefined,
    side: 'input' | 'output',
  ): SchemaCheck | null {
    if (!isSchema(schema)) return null;
    try {
      return this.compiler.compile(schema, side);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.failures.set(schema, reason);
      this.settings.logger.warn(
        { group: this.group.name, function: fn.name, side, err: error },
        `catalog: the ${side} schema of ${this.group.name}.${fn.name} does not compile (${reason}); its ${side} is not checked against it`,
      );
      return null;
    }
  }
}
