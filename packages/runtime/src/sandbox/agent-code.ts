import { stripTypeScriptTypes } from 'node:module';
import { ErrorCode, type ExecutionError, SANDBOX_GLOBALS } from '@agent-tool-protocol/protocol';
import { describe } from '../execution/values.js';

/**
 * Agent code is the body of an async function. The wrapper's head sits on its own line and the
 * script is compiled with `lineOffset: -1`, so V8 reports agent line numbers; columns are unchanged.
 */
export const WRAPPER_HEAD = '(async function () {\n';
export const WRAPPER_TAIL = '\n})';
export const AGENT_FILENAME = 'agent.ts';

export type PreparedCode = { ok: true; body: string } | { ok: false; error: ExecutionError };

const STRIP_CACHE_LIMIT = 256;
const stripCache = new Map<string, PreparedCode>();

/**
 * Removes TypeScript syntax with Node's built-in `module.stripTypeScriptTypes` (amaro/swc, shipped
 * with Node 24). Strip mode blanks types with whitespace, so line and column numbers of the agent's
 * code survive exactly; code that needs a transform (enums, namespaces) falls back to transform mode.
 */
export function stripTypes(code: string): PreparedCode {
  const cached = stripCache.get(code);
  if (cached !== undefined) return cached;
  const prepared = stripUncached(code);
  if (stripCache.size >= STRIP_CACHE_LIMIT) stripCache.delete(stripCache.keys().next().value as string);
  stripCache.set(code, prepared);
  return prepared;
}

function stripUncached(code: string): PreparedCode {
  const wrapped = WRAPPER_HEAD + code + WRAPPER_TAIL;
  try {
    return { ok: true, body: unwrap(stripTypeScriptTypes(wrapped, { mode: 'strip' })) };
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX') {
      try {
        return { ok: true, body: unwrap(stripTypeScriptTypes(wrapped, { mode: 'transform' })) };
      } catch (inner) {
        return { ok: false, error: parseErrorFromStrip(inner) };
      }
    }
    return { ok: false, error: parseErrorFromStrip(error) };
  }
}

/** The function body of a stripped (or transformed and reprinted) wrapper. */
function unwrap(source: string): string {
  if (source.startsWith(WRAPPER_HEAD) && source.endsWith(WRAPPER_TAIL)) {
    return source.slice(WRAPPER_HEAD.length, source.length - WRAPPER_TAIL.length);
  }
  const open = source.indexOf('{');
  const close = source.lastIndexOf('}');
  return source.slice(open + 1, close);
}

/**
 * Node's TypeScript errors carry the location only in a code frame at the top of `stack`:
 * `:<line>`, the source lines, then a caret line under the offending column.
 */
function parseErrorFromStrip(error: unknown): ExecutionError {
  const message = describe(error);
  const stack =
    typeof (error as { stack?: unknown })?.stack === 'string' ? (error as { stack: string }).stack : '';
  const lines = stack.split('\n');
  const lineMatch = /^\S*:(\d+)$/.exec(lines[0] ?? '');
  const caret = lines.slice(1, 8).find((line) => /^\s*\^+\s*$/.test(line));
  const result: ExecutionError = { message: `SyntaxError: ${message}`, code: ErrorCode.PARSE_ERROR };
  if (lineMatch !== null) {
    result.line = Math.max(1, Number(lineMatch[1]) - 1);
    if (caret !== undefined) result.column = caret.indexOf('^') + 1;
    result.message += ` (line ${result.line}${result.column === undefined ? '' : `, column ${result.column}`})`;
  }
  return result;
}

/** A V8 compile error from isolated-vm: `Unexpected token '=' [agent.ts:2:9]`. */
export function parseErrorFromCompile(error: unknown): ExecutionError {
  const raw = describe(error);
  const match = /^(.*) \[agent\.ts:(\d+):(\d+)\]$/s.exec(raw);
  if (match === null) return { message: `SyntaxError: ${raw}`, code: ErrorCode.PARSE_ERROR };
  const line = Number(match[2]);
  const column = Number(match[3]);
  return {
    message: `SyntaxError: ${match[1]} (line ${line}, column ${column})`,
    code: ErrorCode.PARSE_ERROR,
    line,
    column,
  };
}

/** The script that hands the agent's function to the bootstrap (same line layout as WRAPPER_HEAD). */
const COMPILE_HEAD = `globalThis.${SANDBOX_GLOBALS.start}(async function () {\n`;
const COMPILE_TAIL = '\n});';

export function wrapBody(body: string): string {
  return COMPILE_HEAD + body + COMPILE_TAIL;
}
