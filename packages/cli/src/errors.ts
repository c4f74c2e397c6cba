import { ATPError, ErrorCode, type FieldIssue } from '@agent-tool-protocol/protocol';
import { ExitCode } from './exit-codes.js';

/** An error the `atp` command reports as one sentence and a specific exit code. */
export class CLIError extends ATPError {
  readonly exitCode: ExitCode;
  readonly issues: FieldIssue[];

  constructor(
    message: string,
    options: { exitCode: ExitCode; code?: string; issues?: FieldIssue[]; cause?: unknown; hint?: string },
  ) {
    super(options.code ?? ErrorCode.CONFIG_ERROR, message, {
      details: options.issues ? { issues: options.issues } : undefined,
      cause: options.cause,
      suggestion: options.hint,
    });
    this.exitCode = options.exitCode;
    this.issues = options.issues ?? [];
  }
}

export function usageError(message: string): CLIError {
  return new CLIError(message, { exitCode: ExitCode.USAGE, code: ErrorCode.VALIDATION_ERROR });
}

export function configError(message: string, issues: FieldIssue[] = [], cause?: unknown): CLIError {
  return new CLIError(message, { exitCode: ExitCode.CONFIG, issues, cause });
}

export function startupError(message: string, cause?: unknown): CLIError {
  return new CLIError(message, { exitCode: ExitCode.STARTUP, code: ErrorCode.SERVICE_UNAVAILABLE, cause });
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
