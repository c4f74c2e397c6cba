import { ATPError, ErrorCode } from '@agent-tool-protocol/protocol';

/** An MCP server cannot be reached: it failed to start, crashed, is restarting, or was closed. */
export class MCPUnavailableError extends ATPError {
  readonly server: string;
  constructor(server: string, message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(ErrorCode.SERVICE_UNAVAILABLE, message, {
      httpStatus: 503,
      retryable: options.retryable ?? true,
      details: { server },
      cause: options.cause,
    });
    this.server = server;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
