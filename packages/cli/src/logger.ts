import { Writable } from 'node:stream';
import { REDACTED_PATHS } from '@agent-tool-protocol/server';
import { type Logger, pino } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

const LEVEL_NAMES: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
const HIDDEN_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg']);

/**
 * A pino logger on stderr: stdout stays free for results (`atp exec`) and the MCP protocol (`atp mcp`).
 * Lines are `[warn] message {fields}` for people; `format: 'json'` keeps pino's JSON lines.
 */
export function createStderrLogger(level: LogLevel = 'warn', format: 'text' | 'json' = 'text'): Logger {
  const destination = pino.destination({ fd: 2, sync: true });
  const redact = { paths: REDACTED_PATHS, censor: '[Redacted]' };
  if (format === 'json') return pino({ level, redact, base: { name: 'atp' } }, destination);
  return pino({ level, redact, base: undefined }, new TextLines((line) => destination.write(line)));
}

/** Turns pino's JSON lines into `[level] message {other fields}`. */
class TextLines extends Writable {
  constructor(private readonly output: (line: string) => void) {
    super({ decodeStrings: false });
  }

  override _write(
    chunk: string | Buffer,
    _encoding: BufferEncoding,
    done: (error?: Error | null) => void,
  ): void {
    for (const line of String(chunk).split('\n')) {
      if (line.trim() !== '') this.output(`${formatLine(line)}\n`);
    }
    done();
  }
}

export function formatLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = LEVEL_NAMES[record.level as number] ?? String(record.level);
  const fields = Object.fromEntries(Object.entries(record).filter(([key]) => !HIDDEN_FIELDS.has(key)));
  const extra = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
  return `[${level}] ${String(record.msg ?? '')}${extra}`;
}
