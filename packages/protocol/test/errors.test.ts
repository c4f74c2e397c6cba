import {
  ATPError,
  callbackError,
  ErrorCode,
  isATPError,
  isCallbackError,
  NotFoundError,
  RateLimitError,
  ValidationError,
} from '@agent-tool-protocol/protocol';

describe('ATPError', () => {
  it('carries a stable code, details and an HTTP status', () => {
    const error = new NotFoundError('Execution e1 was not found.', ErrorCode.EXECUTION_NOT_FOUND, {
      id: 'e1',
    });
    expect(error).toBeInstanceOf(ATPError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('NotFoundError');
    expect(error.httpStatus).toBe(404);
    expect(error.toJSON()).toEqual({
      error: 'Execution e1 was not found.',
      code: 'EXECUTION_NOT_FOUND',
      details: { id: 'e1' },
    });
  });

  it('is recognised across duplicate copies of the package', () => {
    // A second copy of the package would have its own class; the check uses a registry-wide symbol.
    const foreign = Object.create(Error.prototype) as Record<PropertyKey, unknown>;
    foreign.code = 'SOMETHING';
    foreign.message = 'from another copy';
    Object.defineProperty(foreign, Symbol.for('agent-tool-protocol.error'), { value: true });
    expect(isATPError(foreign)).toBe(true);
    expect(isATPError(new Error('plain'))).toBe(false);
    expect(isATPError({ code: 'X' })).toBe(false);
    expect(isATPError(null)).toBe(false);
  });

  it('validation errors list their issues in details', () => {
    const error = new ValidationError('Invalid body: code: required', [
      { path: 'code', message: 'required' },
    ]);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.httpStatus).toBe(400);
    expect(error.details).toEqual({ issues: [{ path: 'code', message: 'required' }] });
  });

  it('rate limit errors carry Retry-After seconds', () => {
    const error = new RateLimitError('Too many executions.', 3);
    expect(error.httpStatus).toBe(429);
    expect(error.retryAfterSeconds).toBe(3);
    expect(error.retryable).toBe(true);
  });
});

describe('callback errors', () => {
  it('round-trips the {__error, message} shape', () => {
    const value = callbackError('no LLM configured');
    expect(value).toEqual({ __error: true, message: 'no LLM configured' });
    expect(isCallbackError(JSON.parse(JSON.stringify(value)))).toBe(true);
    expect(isCallbackError({ __error: 'yes', message: 'x' })).toBe(false);
    expect(isCallbackError('text')).toBe(false);
  });
});
