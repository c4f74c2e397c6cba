import { ErrorCode } from './codes.js';

const ATP_ERROR_MARK = Symbol.for('agent-tool-protocol.error');

export interface ATPErrorOptions {
  details?: unknown;
  cause?: unknown;
  /** HTTP status a server answers with when this error reaches a route. */
  httpStatus?: number;
  retryable?: boolean;
  suggestion?: string;
}

/** The base error of every package: a stable `code`, structured `details`, an HTTP status. */
export class ATPError extends Error {
  readonly code: string;
  readonly details: unknown;
  readonly httpStatus: number;
  readonly retryable: boolean;
  readonly suggestion: string | undefined;

  constructor(code: string, message: string, options: ATPErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
    this.httpStatus = options.httpStatus ?? 500;
    this.retryable = options.retryable ?? false;
    this.suggestion = options.suggestion;
    Object.defineProperty(this, ATP_ERROR_MARK, { value: true });
  }

  /** The `{error, code, details}` body PROTOCOL.md prescribes for HTTP errors. */
  toJSON(): { error: string; code: string; details?: unknown } {
    return this.details === undefined
      ? { error: this.message, code: this.code }
      : { error: this.message, code: this.code, details: this.details };
  }
}

/**
 * True for an ATPError from any copy of this package (a bundled duplicate included):
 * the check uses a registry-wide symbol, not `instanceof`.
 */
export function isATPError(value: unknown): value is ATPError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[ATP_ERROR_MARK] === true &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `config.timeout` (empty for the whole value). */
  path: string;
  message: string;
}

export class ValidationError extends ATPError {
  readonly issues: FieldIssue[];
  constructor(message: string, issues: FieldIssue[] = [], options: ATPErrorOptions = {}) {
    super(ErrorCode.VALIDATION_ERROR, message, { httpStatus: 400, details: { issues }, ...options });
    this.issues = issues;
  }
}

export class AuthenticationError extends ATPError {
  constructor(message = 'A valid client token is required.', code: string = ErrorCode.UNAUTHORIZED) {
    super(code, message, { httpStatus: 401 });
  }
}

export class ForbiddenError extends ATPError {
  constructor(message: string, details?: unknown) {
    super(ErrorCode.FORBIDDEN, message, { httpStatus: 403, details });
  }
}

export class NotFoundError extends ATPError {
  constructor(message: string, code: string = ErrorCode.NOT_FOUND, details?: unknown) {
    super(code, message, { httpStatus: 404, details });
  }
}

export class ConflictError extends ATPError {
  constructor(message: string, code: string = ErrorCode.CONFLICT, details?: unknown) {
    super(code, message, { httpStatus: 409, details });
  }
}

export class RateLimitError extends ATPError {
  /** Seconds the caller should wait before retrying (sent as `Retry-After`). */
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number, code: string = ErrorCode.RATE_LIMITED) {
    super(code, message, { httpStatus: 429, retryable: true, details: { retryAfterSeconds } });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Which quota a request would exceed, its limit, and what is used (same unit as the limit). */
export interface QuotaDetails {
  /** The config path of the quota, e.g. `quotas.cache.maxBytes`. */
  quota: string;
  limit: number;
  used?: number;
}

/**
 * A per-client quota would be exceeded (docs/security.md lists every quota): nothing was stored, and
 * nothing of any other client was touched. `details` names the quota and its limit.
 */
export class QuotaExceededError extends ATPError {
  readonly quota: string;
  readonly limit: number;
  constructor(message: string, details: QuotaDetails, options: { httpStatus?: number } = {}) {
    super(ErrorCode.QUOTA_EXCEEDED, message, { httpStatus: options.httpStatus ?? 413, details });
    this.quota = details.quota;
    this.limit = details.limit;
  }
}

export class ConfigError extends ATPError {
  constructor(message: string, issues: FieldIssue[] = []) {
    super(ErrorCode.CONFIG_ERROR, message, { httpStatus: 500, details: { issues } });
  }
}

/** A failed call to an API function (an HTTP API answers with `status`). */
export class ToolCallError extends ATPError {
  readonly status: number | undefined;
  constructor(message: string, options: ATPErrorOptions & { code?: string; status?: number } = {}) {
    super(options.code ?? ErrorCode.TOOL_ERROR, message, { httpStatus: 502, ...options });
    this.status = options.status;
  }
}

export class SecurityViolationError extends ATPError {
  constructor(message: string, details?: unknown) {
    super(ErrorCode.SECURITY_VIOLATION, message, { httpStatus: 403, details });
  }
}

export class ProviderError extends ATPError {
  constructor(message: string, options: ATPErrorOptions = {}) {
    super(ErrorCode.PROVIDER_ERROR, message, { httpStatus: 503, retryable: true, ...options });
  }
}
