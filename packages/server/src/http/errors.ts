import { ATPError, ErrorCode, isATPError, type Logger, RateLimitError } from '@agent-tool-protocol/protocol';
import type { ErrorRequestHandler, RequestHandler } from 'express';

/** Maps body-parser failures to ATPErrors with clear messages. */
function fromBodyParser(error: { type?: string; status?: number; limit?: number }): ATPError | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return new ATPError(
        ErrorCode.PAYLOAD_TOO_LARGE,
        `The request body exceeds the ${error.limit ?? ''} byte limit.`.replace('  ', ' '),
        {
          httpStatus: 413,
        },
      );
    case 'entity.parse.failed':
      return new ATPError(ErrorCode.INVALID_JSON, 'The request body is not valid JSON.', { httpStatus: 400 });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ATPError(
        ErrorCode.VALIDATION_ERROR,
        'The request body uses an unsupported encoding; send UTF-8 JSON.',
        {
          httpStatus: 415,
        },
      );
    case 'request.aborted':
      return new ATPError(ErrorCode.VALIDATION_ERROR, 'The request was aborted by the client.', {
        httpStatus: 400,
      });
    default:
      return typeof error.status === 'number' && error.status >= 400 && error.status < 500
        ? new ATPError(ErrorCode.VALIDATION_ERROR, 'The request could not be read.', {
            httpStatus: error.status,
          })
        : undefined;
  }
}

/** A route parameter that is not valid percent-encoding (express reports it with status 400). */
function fromBadEncoding(error: unknown): ATPError | undefined {
  if (!(error instanceof URIError) && !/^Failed to decode param/.test((error as Error)?.message ?? '')) {
    return undefined;
  }
  return new ATPError(
    ErrorCode.VALIDATION_ERROR,
    'The request path is not valid percent-encoding: escape "%" as "%25" and encode text as UTF-8.',
    { httpStatus: 400 },
  );
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const atpError = isATPError(error) ? error : (fromBadEncoding(error) ?? fromBodyParser(error));
    if (!atpError) {
      logger.error({ err: error, method: req.method, path: req.path }, 'unhandled error in a route');
      res.status(500).json({
        error: 'The server hit an internal error; it has been logged.',
        code: ErrorCode.INTERNAL_ERROR,
      });
      return;
    }
    if (atpError instanceof RateLimitError || atpError.httpStatus === 429) {
      const retryAfter = (atpError as RateLimitError).retryAfterSeconds ?? 1;
      res.setHeader('Retry-After', String(retryAfter));
    } else if (atpError.httpStatus === 503 && atpError.retryable) {
      // A provider outage (Redis down) or a draining server: worth retrying shortly.
      res.setHeader('Retry-After', '1');
    }
    if (atpError.httpStatus >= 500) logger.warn({ code: atpError.code, path: req.path }, atpError.message);
    res.status(atpError.httpStatus).json(atpError.toJSON());
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: `No route for ${req.method} ${req.path}.`, code: ErrorCode.NOT_FOUND });
};
