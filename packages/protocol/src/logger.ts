/**
 * The logger every ATP package writes to: the part of pino they use (structured fields first, then the
 * message), so a pino logger — or a child of one — fits as-is. Packages never write to the console.
 */
export interface Logger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
  /** A logger that adds `bindings` to every record (pino's `child`); hand-written loggers may omit it. */
  child?(bindings: Record<string, unknown>): Logger;
}

const ignore = (): void => {};

/** Drops everything: the default wherever no logger is given. */
export const silentLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  child: () => silentLogger,
};

/** `logger.child(bindings)` when the logger has children, else the logger itself. */
export function childLogger(logger: Logger, bindings: Record<string, unknown>): Logger {
  return typeof logger.child === 'function' ? logger.child(bindings) : logger;
}
