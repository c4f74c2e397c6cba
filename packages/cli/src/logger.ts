import { REDACTED_PATHS } from '@agent-tool-protocol/server';
import { type Logger, pino } from 'pino';
import pretty from 'pino-pretty';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type LogFormat = 'pretty' | 'json';

/**
 * A pino logger on stderr: stdout stays free for results (`atp exec`) and the MCP protocol (`atp mcp`).
 * `pretty` (pino-pretty: colour, time, level, message, fields) is for people at a terminal; `json` is
 * pino's line-per-record JSON for pipes, files and log collectors.
 */
export function createStderrLogger(
  level: LogLevel = 'warn',
  format: LogFormat = 'json',
  options: { agentLogs?: boolean } = {},
): Logger {
  const agentLogs = options.agentLogs ?? true;
  const settings = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
    base: { name: 'atp' },
    hooks: {
      logMethod(this: Logger, args: Parameters<Logger['info']>, method: (...args: unknown[]) => void) {
        const kind = agentRecordKind(args);
        if (kind === 'echo' || (kind === 'agent' && !agentLogs)) return;
        method.apply(this, args);
      },
    },
  };
  if (format === 'json') return pino(settings, pino.destination({ fd: 2, sync: true }));
  const stream = pretty({
    destination: 2,
    sync: true,
    colorize: true,
    translateTime: 'HH:MM:ss.l',
    ignore: 'pid,hostname,name',
  });
  return pino(settings, stream);
}

/**
 * The server logs each `atp.log` line twice: the runtime as `{source: 'agent'}` at the agent's level,
 * and the engine again at info as `[agent <level>] message`. The second one (`echo`) is dropped here
 * so a line appears once; `atp exec` prints agent lines itself and drops both.
 */
function agentRecordKind(args: unknown[]): 'agent' | 'echo' | undefined {
  const [first, second] = args;
  if (typeof first !== 'object' || first === null) return undefined;
  if ((first as { source?: unknown }).source === 'agent') return 'agent';
  if (typeof second === 'string' && /^\[agent (trace|debug|info|warn|error|fatal)\] /.test(second))
    return 'echo';
  return undefined;
}

/** `ATP_LOG_FORMAT` (`pretty` or `json`) when set, else pretty on a terminal and JSON otherwise. */
export function logFormatOf(env: Record<string, string | undefined>, stderrIsTTY: boolean): LogFormat {
  const chosen = env.ATP_LOG_FORMAT?.toLowerCase();
  if (chosen === 'json' || chosen === 'pretty') return chosen;
  return stderrIsTTY ? 'pretty' : 'json';
}
