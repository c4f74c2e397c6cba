import pino, { type Logger } from 'pino';

/** Paths pino replaces with [Redacted] wherever they appear in a log record. */
export const REDACTED_PATHS = [
  'token',
  'secret',
  'password',
  'authorization',
  'apiKey',
  'accessToken',
  'refreshToken',
  '*.token',
  '*.secret',
  '*.password',
  '*.authorization',
  '*.apiKey',
  '*.accessToken',
  '*.refreshToken',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.headers.authorization',
];

export function createLogger(option: unknown): Logger {
  if (option && typeof option === 'object' && typeof (option as Logger).child === 'function') {
    return option as Logger;
  }
  const level =
    (option as { level?: string } | undefined)?.level ??
    process.env.ATP_LOG_LEVEL ??
    (process.env.NODE_ENV === 'test' ? 'silent' : 'info');
  return pino({ name: 'atp-server', level, redact: { paths: REDACTED_PATHS, censor: '[Redacted]' } });
}
