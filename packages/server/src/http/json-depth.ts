import { ATPError, ErrorCode } from '@agent-tool-protocol/protocol';

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** How deeply the JSON text in `bytes` nests objects and arrays (one linear scan; strings skipped). */
export function jsonNestingDepth(bytes: Uint8Array, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > stopAbove) return deepest;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) depth--;
  }
  return deepest;
}

/**
 * body-parser `verify` hook: refuses JSON nested deeper than `maxDepth` before it is parsed, so
 * no later recursive walk (validation, JSON.stringify into a cache or an audit sink) can overflow
 * the stack on a hostile body.
 */
export function rejectDeepJson(maxDepth: number) {
  return (_req: unknown, _res: unknown, body: Buffer): void => {
    if (jsonNestingDepth(body, maxDepth) <= maxDepth) return;
    throw new ATPError(
      ErrorCode.VALIDATION_ERROR,
      `The request body nests objects and arrays more than ${maxDepth} levels deep (http.maxJsonDepth).`,
      { httpStatus: 400 },
    );
  };
}
