import { ATPError, ErrorCode } from '@agent-tool-protocol/protocol';
import type { NextFunction, Request, Response } from 'express';

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/** The part of a request target that is not valid percent-encoding (RFC 3986), if any. */
export function badPercentEncoding(target: string): 'path' | 'query' | undefined {
  const queryAt = target.indexOf('?');
  const path = queryAt < 0 ? target : target.slice(0, queryAt);
  if (!decodes(path)) return 'path';
  if (queryAt < 0) return undefined;
  for (const pair of target.slice(queryAt + 1).split('&')) {
    for (const part of pair.split('=')) if (!decodes(part.replace(/\+/g, ' '))) return 'query';
  }
  return undefined;
}

/**
 * Refuses a request whose path or query string is not valid percent-encoding with a 400, before any
 * route or mounted handler sees it (a handler decoding it would otherwise fail with a 500).
 */
export function rejectBadPercentEncoding(req: Request, _res: Response, next: NextFunction): void {
  const bad = badPercentEncoding(req.originalUrl);
  if (bad === undefined) {
    next();
    return;
  }
  next(
    new ATPError(
      ErrorCode.VALIDATION_ERROR,
      `The request ${bad === 'path' ? 'path' : 'query string'} is not valid percent-encoding: escape "%" as "%25" and encode text as UTF-8.`,
      { httpStatus: 400 },
    ),
  );
}
