import type { Logger } from '@agent-tool-protocol/protocol';
import pino from 'pino';

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

/** The logger given in the config, or a redacting pino logger at `{level}` (ATP_LOG_LEVEL, else info). */
export function createLogger(option: Logger | { level?: string | undefined } | undefined): Logger {
  if (option !== undefined && 'info' in option && typeof option.info === 'function') return option;
  const level =
    (option as { level?: string } | undefined)?.level ??
    process.env.ATP_LOG_LEVEL ??
    (process.env.NODE_ENV === 'test' ? 'silent' : 'info');
  return pino({ name: 'atp-server', level, redact: { paths: REDACTED_PATHS, censor: '[Redacted]' } });
}
