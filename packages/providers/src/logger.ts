type LogFn = (fields: Record<string, unknown>, message?: string) => void;

/** The subset of a pino logger the providers use; pass a pino logger (or a child of one) as-is. */
export interface ProviderLogger {
  debug: LogFn;
  warn: LogFn;
  error: LogFn;
}

const ignore: LogFn = () => {};

export const silentLogger: ProviderLogger = { debug: ignore, warn: ignore, error: ignore };
