import { type Logger, pino } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** A pino logger on stderr: stdout stays free for results (`atp exec`) and the MCP protocol (`atp mcp`). */
export function createStderrLogger(level: LogLevel = 'warn'): Logger {
  return pino({ level, base: { name: 'atp' } }, pino.destination({ fd: 2, sync: true }));
}
