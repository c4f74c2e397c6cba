import { ATPError, ErrorCode } from '@agent-tool-protocol/protocol';

/** An error answer from an ATP server (or a transport failure reaching it). */
export class ATPClientError extends ATPError {
  /** The HTTP status, or 0 when the server could not be reached. */
  readonly status: number;
  constructor(message: string, status: number, code: string = ErrorCode.INTERNAL_ERROR, details?: unknown) {
    super(code, message, {
      httpStatus: status || 503,
      details,
      retryable: status === 0 || status === 429 || status >= 500,
    });
    this.status = status;
  }
}
