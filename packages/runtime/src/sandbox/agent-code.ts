import { ErrorCode, type ExecutionError, SANDBOX_GLOBALS } from '@agent-tool-protocol/protocol';
import { type Node, parse } from 'acorn';
import { describe } from '../execution/values.js';
import { reloadAmaro, transformSync } from './amaro-instance.js';
import { type BodySourceMap, mapParseError, positionMapper } from './positions.js';

/**
 * Agent code is the body of an async function. The wrapper's head sits on its own line and the
 * script is compiled with a negative `lineOffset`, so V8 reports agent line numbers; columns are unchanged.
 */
const WRAPPER_HEAD = '(async function () {\n';
const WRAPPER_TAIL = '\n})';
export const AGENT_FILENAME = 'agent.ts';

/**
 * Stripped agent code, ready to compile. `positions` is set when the code had to be transformed
 * (enums, namespaces): the source map that takes positions in `body` back to the agent's code.
 */
export type PreparedCode =
  | { ok: true; body: string; positions?: BodySourceMap }
  | { ok: false; error: ExecutionError };

/** The error amaro (swc) throws: a plain object with a 1-based line and a 0-based column. */
interface SwcError {
  code: 'UnsupportedSyntax' | 'InvalidSyntax' | string;
  message: string;
  startLine: number;
  startColumn: number;
}

const STRIP_CACHE_LIMIT = 256;
const stripCache = new Map<string, PreparedCode>();

/**
 * Removes TypeScript syntax with amaro (swc's TypeScript parser, the library Node's own type stripping
 * uses). Strip-only mode replaces types with whitespace, so the agent's line and column numbers survive
 * exactly; code that needs a transform (enums, namespaces, parameter properties) falls back to
 * transform mode, which reprints the code.
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
  const stripped = strip(code);
  if (!stripped.ok) return stripped;
  const problem = functionBodyProblem(stripped.body);
  if (problem === undefined) return stripped;
  return { ok: false, error: mapParseError(problem, positionMapper(stripped.positions)) };
}

function strip(code: string): PreparedCode {
  const wrapped = WRAPPER_HEAD + code + WRAPPER_TAIL;
  try {
    return { ok: true, body: unwrap(transform(wrapped, { mode: 'strip-only' }).code) };
  } catch (error) {
    if (!isSwcError(error) || error.code !== 'UnsupportedSyntax')
      return { ok: false, error: parseErrorFromStrip(error, code) };
  }
  try {
    const { code: output, map } = transform(wrapped, { mode: 'transform', sourceMap: true });
    const body = unwrap(output);
    if (map === undefined) return { ok: true, body };
    // The body's line 1 is the output's line `bodyLine`; the agent's line 1 is the wrapper's line 2.
    const bodyLine = output.slice(0, bodyRange(output)[0]).split('\n').length;
    return { ok: true, body, positions: { map, bodyLine, agentLine: 2 } };
  } catch (error) {
    return { ok: false, error: parseErrorFromStrip(error, code) };
  }
}

/**
 * Why `body` (stripped) is not one function body, if it is not. amaro only parses the wrapped text,
 * which a body that closes the wrapper's function passes (`}); topLevel(); (function () {`): its code
 * would run at the script's top level, outside the agent function. Here acorn parses the same wrapper
 * and the whole text must be that one function, ending at the wrapper's own `}` — so the body sits in
 * the compiled script exactly as the function's body (and `return`, `await`, `arguments`,
 * `new.target` mean what they mean in the agent's function). Positions are in the body's lines.
 */
function functionBodyProblem(body: string): ExecutionError | undefined {
  const wrapped = WRAPPER_HEAD + body + WRAPPER_TAIL;
  let program: ReturnType<typeof parse>;
  try {
    program = parse(wrapped, { ecmaVersion: 'latest', sourceType: 'script', locations: true });
  } catch (error) {
    const { loc, message } = error as { loc?: { line: number; column: number }; message?: unknown };
    const text = String(message ?? error).replace(/ \(\d+:\d+\)$/, '');
    if (loc === undefined) return { message: `SyntaxError: ${text}`, code: ErrorCode.PARSE_ERROR };
    return syntaxError(text, loc.line - 1, loc.column + 1, body);
  }
  const statement = program.body.length === 1 ? program.body[0] : undefined;
  const fn =
    statement?.type === 'ExpressionStatement' && statement.expression.type === 'FunctionExpression'
      ? statement.expression
      : undefined;
  if (fn !== undefined && fn.start === 1 && fn.end === wrapped.length - 1) return undefined;
  // The wrapper's function (the leftmost expression, at offset 1) was closed by a `}` of the agent's.
  const end = wrapperFunction(program)?.loc?.end ?? { line: 2, column: 1 };
  return syntaxError(
    "Unexpected '}': it closes the agent's function",
    end.line - 1,
    Math.max(1, end.column),
    body,
  );
}

/** The function expression that starts at offset 1 (right after the wrapper's `(`), if any. */
function wrapperFunction(node: object): Node | undefined {
  const candidate = node as Node;
  if (candidate.type === 'FunctionExpression' && candidate.start === 1) return candidate;
  for (const value of Object.values(node)) {
    for (const child of Array.isArray(value) ? value : [value]) {
      const sub = child as Partial<Node> | null;
      if (sub === null || typeof sub !== 'object' || typeof sub.type !== 'string') continue;
      if (typeof sub.start === 'number' && sub.start <= 1) return wrapperFunction(sub);
    }
  }
  return undefined;
}

/**
 * amaro's transform. An error that is not swc's verdict on the code (the wasm parser overflowed its
 * stack on deeply nested code, or an earlier overflow left the instance corrupt) gets a fresh amaro
 * instance, and one retry on it; a second such failure gets another fresh instance for the next
 * caller and is the code's error.
 */
function transform(
  source: string,
  options: Parameters<typeof transformSync>[1],
): ReturnType<typeof transformSync> {
  for (let attempt = 1; ; attempt++) {
    try {
      return transformSync(source, options);
    } catch (error) {
      if (isSwcError(error)) throw error;
      reloadAmaro();
      if (attempt === 2) throw error;
    }
  }
}

/** Where the function body of a stripped (or transformed and reprinted) wrapper starts and ends. */
function bodyRange(source: string): [start: number, end: number] {
  if (source.startsWith(WRAPPER_HEAD) && source.endsWith(WRAPPER_TAIL)) {
    return [WRAPPER_HEAD.length, source.length - WRAPPER_TAIL.length];
  }
  return [source.indexOf('{') + 1, source.lastIndexOf('}')];
}

function unwrap(source: string): string {
  return source.slice(...bodyRange(source));
}

function isSwcError(error: unknown): error is SwcError {
  const candidate = error as Partial<SwcError> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.message === 'string' &&
    typeof candidate.startLine === 'number' &&
    typeof candidate.startColumn === 'number'
  );
}

/** amaro's error, located in the agent's code (its line 1 is the wrapper's line 2). */
function parseErrorFromStrip(error: unknown, code: string): ExecutionError {
  if (!isSwcError(error)) {
    return {
      // Not swc's verdict: its parser gave up (deep nesting overflows it); the details are amaro's.
      message: 'SyntaxError: The code could not be parsed (is it nested too deeply?)',
      code: ErrorCode.PARSE_ERROR,
    };
  }
  return syntaxError(error.message, error.startLine - 1, error.startColumn + 1, code);
}

const COMPILE_ERROR_LOCATION = / \[agent\.ts:-?\d+:\d+\]$/;

/** Whether `error` has the shape of the compile error isolated-vm reports for agent code (below). */
export function isCompileError(error: unknown): boolean {
  // Not `instanceof`: isolated-vm makes the error in the realm that called it.
  const candidate = error as { name?: unknown; message?: unknown } | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.name === 'SyntaxError' &&
    typeof candidate.message === 'string' &&
    COMPILE_ERROR_LOCATION.test(candidate.message)
  );
}

/** A V8 compile error from isolated-vm: `Unexpected token '=' [agent.ts:2:9]` (already agent lines). */
export function parseErrorFromCompile(error: unknown, code: string): ExecutionError {
  const raw = describe(error);
  const match = /^(.*) \[agent\.ts:(-?\d+):(\d+)\]$/s.exec(raw);
  if (match === null) return { message: `SyntaxError: ${raw}`, code: ErrorCode.PARSE_ERROR };
  return syntaxError(match[1]!, Number(match[2]), Number(match[3]), code);
}

/**
 * A PARSE_ERROR at the agent's own line and column (both 1-based). A parser that ran off the end of
 * the agent's code stops on the wrapper's closing line, and its message names the wrapper's `}`: that
 * is reported as the end of the agent's code instead.
 */
function syntaxError(message: string, line: number, column: number, code: string): ExecutionError {
  const lines = code.split('\n');
  if (line > lines.length) {
    const last = lines.length;
    const endColumn = lines[last - 1]!.length + 1;
    return {
      message: `SyntaxError: Unexpected end of input (line ${last}, column ${endColumn})`,
      code: ErrorCode.PARSE_ERROR,
      line: last,
      column: endColumn,
    };
  }
  const at = Math.max(1, line);
  return {
    message: `SyntaxError: ${message} (line ${at}, column ${column})`,
    code: ErrorCode.PARSE_ERROR,
    line: at,
    column,
  };
}

/** The script that hands the agent's function to the bootstrap (same line layout as WRAPPER_HEAD). */
const COMPILE_HEAD = `globalThis.${SANDBOX_GLOBALS.start}(async function () {\n`;
// `void 0` ends the script: its completion value, which isolated-vm copies into the host, is never
// a value agent code chose.
const COMPILE_TAIL = '\n}); void 0;';

/**
 * The script V8 compiles, and the `lineOffset` that makes V8 count the agent's first line as line 1.
 * `preludeLength` characters at the start of `body` were prepended by the transformCode hook (a
 * provenance seal, say): they get lines of their own above the agent's code, so the agent's line 1
 * keeps its columns.
 */
export function compileSource(body: string, preludeLength = 0): { source: string; lineOffset: number } {
  if (preludeLength <= 0) return { source: COMPILE_HEAD + body + COMPILE_TAIL, lineOffset: -1 };
  const prelude = body.slice(0, preludeLength);
  const preludeLines = prelude.split('\n').length;
  return {
    source: `${COMPILE_HEAD + prelude}\n${body.slice(preludeLength)}${COMPILE_TAIL}`,
    lineOffset: -1 - preludeLines,
  };
}
