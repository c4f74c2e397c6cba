import { createHash, randomUUID } from 'node:crypto';
import { type Catalog, generateRuntimeDefinitions } from '@agent-tool-protocol/catalog';
import type {
  ClientServices,
  ClientToolDefinition,
  ExecutionResult,
  Logger,
  TypecheckMode,
} from '@agent-tool-protocol/protocol';
import {
  type AgentDiagnostic,
  AgentTypeChecker,
  type APIDeclarations,
  formatDiagnostics,
} from '@agent-tool-protocol/typecheck';
import { clientToolMembers } from './client-tool-declarations.js';

/** The error code of an execution refused by `typecheck: 'enforce'`. */
export const TYPECHECK_FAILED = 'TYPECHECK_FAILED';

export type TypecheckOutcome =
  | { action: 'run'; diagnostics?: AgentDiagnostic[] }
  | { action: 'reject'; result: ExecutionResult };

/**
 * Type-checks agent code against the catalog's `api.*` and the client's `atp.*` declarations
 * before an isolate is spent (docs/typecheck.md). One warm checker per engine: lib files parsed once,
 * the api declarations once per catalog version.
 */
export class TypecheckGate {
  private readonly checker = new AgentTypeChecker();
  private parts: { version: string; parts: APIDeclarations[] } | undefined;

  constructor(
    private readonly catalog: Catalog,
    private readonly logger: Logger,
  ) {}

  check(
    mode: TypecheckMode,
    code: string,
    client: { services: ClientServices; tools: readonly ClientToolDefinition[] },
  ): TypecheckOutcome {
    if (mode === 'off') return { action: 'run' };
    const started = performance.now();
    let checked: ReturnType<AgentTypeChecker['check']>;
    try {
      checked = this.checker.check(code, {
        apiDeclarations: this.apiDeclarations(),
        runtimeDeclarations: generateRuntimeDefinitions(client.services),
        extraApiMembers: clientToolMembers(client.tools),
      });
    } catch (error) {
      // The checker is an aid, never a reason an execution cannot run.
      this.logger.warn({ err: error }, 'type check failed to run; executing unchecked');
      return { action: 'run' };
    }
    // Syntax errors are the runtime's to report (status `failed`, code PARSE_ERROR).
    if (checked.ok || checked.syntaxError) return { action: 'run' };
    const { diagnostics } = checked;
    if (mode === 'warn') return { action: 'run', diagnostics };
    const count = `${diagnostics.length}${checked.truncated ? '+' : ''} problem${diagnostics.length === 1 ? '' : 's'}`;
    const first = diagnostics[0];
    const result: ExecutionResult = {
      executionId: randomUUID(),
      status: 'validation_failed',
      error: {
        message: `The code does not type-check against the API (${count}):\n${formatDiagnostics(diagnostics)}`,
        code: TYPECHECK_FAILED,
        suggestion:
          'Fix the lines above (see GET /api/definitions for the exact signatures) and run it again.',
        ...(first ? { line: first.line, column: first.column } : {}),
      },
      diagnostics,
      stats: {
        duration: performance.now() - started,
        llmCallsCount: 0,
        approvalCallsCount: 0,
        toolCallsCount: 0,
      },
    };
    return { action: 'reject', result };
  }

  /**
   * One declarations file per API group, keyed by a hash of its text: after a catalog change only
   * the groups whose declarations changed are parsed again (GitHub's 2 MB stay parsed when another
   * group is added).
   */
  private apiDeclarations(): APIDeclarations[] {
    const version = this.catalog.version;
    if (this.parts?.version !== version) {
      const parts = this.catalog.listGroups().map((group) => {
        const text = this.catalog.getDefinitions({ apiGroups: [group.name], detail: 'full' }).typescript;
        return { name: group.name, text, key: createHash('sha256').update(text).digest('base64url') };
      });
      this.parts = { version, parts };
    }
    return this.parts.parts;
  }
}
