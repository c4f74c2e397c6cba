import { canonicalJson, type JSONSchema } from '@agent-tool-protocol/protocol';
import { type CatalogLogger, SILENT_LOGGER } from '../catalog-types.js';
import { inputError } from './function-checks.js';
import { GroupSchemaCompiler, type SchemaCheck } from './schema-compiler.js';

/** A tool the client declared at init and runs itself (`api.<namespace ?? 'client'>.<name>`). */
export interface ClientToolLike {
  name: string;
  namespace?: string;
  inputSchema?: Record<string, unknown>;
}

export interface ToolInputValidatorOptions {
  logger?: CatalogLogger;
  /** Compiled schemas kept (least recently used dropped first; default 500). */
  maxSchemas?: number;
}

/**
 * The input check for client tools, which never pass through the catalog: `(tool, input)` throws
 * the same `ValidationError` a catalog function would. Each distinct schema is compiled once (kept
 * by its canonical JSON, so the same tool of many sessions shares one check); one that does not
 * compile is logged once and not checked.
 */
export function createToolInputValidator(
  options: ToolInputValidatorOptions = {},
): (tool: ClientToolLike, input: unknown) => void {
  const logger = options.logger ?? SILENT_LOGGER;
  const maxSchemas = Math.max(1, options.maxSchemas ?? 500);
  const checks = new Map<string, SchemaCheck | null>();

  const checkFor = (tool: ClientToolLike, schema: JSONSchema): SchemaCheck | null => {
    const key = canonicalJson(schema);
    let check = checks.get(key);
    if (check !== undefined) {
      checks.delete(key); // most recently used last
      checks.set(key, check);
      return check;
    }
    try {
      // One compiler per schema: it holds nothing else, so dropping the check frees it.
      check = new GroupSchemaCompiler(undefined).compile(schema, 'input');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn(
        { tool: tool.name, err: error },
        `catalog: the input schema of client tool ${tool.name} does not compile (${reason}); its input is not checked`,
      );
      check = null;
    }
    if (checks.size >= maxSchemas) checks.delete(checks.keys().next().value!);
    checks.set(key, check);
    return check;
  };

  return (tool, input) => {
    const schema = tool.inputSchema;
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return;
    const issues = checkFor(tool, schema)?.(input);
    if (issues === undefined || issues.length === 0) return;
    throw inputError(`${tool.namespace ?? 'client'}.${tool.name}`, issues);
  };
}
