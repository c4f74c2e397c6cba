import type { ExecutionError } from '@agent-tool-protocol/protocol';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';

/**
 * The source map of transformed agent code (enums and namespaces are reprinted by swc), with where
 * the compiled body and the agent's code start in it: `bodyLine` is the generated line of the body's
 * line 1, `agentLine` the original line of the agent's line 1 (after the wrapper's head).
 */
export interface BodySourceMap {
  map: string;
  bodyLine: number;
  agentLine: number;
}

/** Takes a 1-based line and column V8 reports in the compiled body to the agent's own. */
export type PositionMapper = (line: number, column: number) => { line: number; column: number } | undefined;

export function positionMapper(positions: BodySourceMap | undefined): PositionMapper | undefined {
  if (positions === undefined) return undefined;
  let traced: TraceMap | undefined;
  return (line, column) => {
    traced ??= new TraceMap(positions.map);
    const original = originalPositionFor(traced, {
      line: line + positions.bodyLine - 1,
      column: Math.max(0, column - 1),
    });
    if (original.line === null || original.column === null) return undefined;
    return { line: Math.max(1, original.line - positions.agentLine + 1), column: original.column + 1 };
  };
}

const FRAME_POSITION = /agent\.ts:(\d+):(\d+)/g;

/** `at f (agent.ts:7:14)` → the agent's own `agent.ts:3:10`. */
export function mapStackPositions(stack: string, mapper: PositionMapper): string {
  return stack.replace(FRAME_POSITION, (whole, line: string, column: string) => {
    const mapped = mapper(Number(line), Number(column));
    return mapped === undefined ? whole : `agent.ts:${mapped.line}:${mapped.column}`;
  });
}

/** A syntax error V8 found in transformed code, at the agent's own position. */
export function mapParseError(error: ExecutionError, mapper: PositionMapper | undefined): ExecutionError {
  if (mapper === undefined || error.line === undefined || error.column === undefined) return error;
  const mapped = mapper(error.line, error.column);
  if (mapped === undefined) return error;
  const at = `(line ${mapped.line}, column ${mapped.column})`;
  return {
    ...error,
    message: error.message.replace(/\(line \d+, column \d+\)$/, at),
    line: mapped.line,
    column: mapped.column,
  };
}
