import type { Writable } from 'node:stream';
import type { ExecutionResult, LogEntry, ProgressEvent } from '@agent-tool-protocol/protocol';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface ExecOutputOptions {
  /** Print `atp.log` lines as they happen (off with `--json`, whose result holds them). */
  logs: boolean;
}

/**
 * What `atp exec` shows on stderr while the code runs: `atp.log` lines as they happen and
 * `atp.progress` — on a terminal as one status line redrawn in place (with a spinner and the elapsed
 * time), otherwise as plain `progress:` lines — and, at the end, one status line.
 */
export class ExecOutput {
  private readonly tty: boolean;
  private readonly startedAt = Date.now();
  private status = 'running';
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;
  private drawn = false;

  constructor(
    private readonly stream: Writable & { isTTY?: boolean; columns?: number },
    private readonly options: ExecOutputOptions,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  start(): void {
    if (!this.tty) return;
    this.timer = setInterval(() => this.draw(), 100).unref();
    this.draw();
  }

  onLog = (entry: LogEntry): void => {
    if (!this.options.logs) return;
    this.line(formatLog(entry));
  };

  onProgress = (event: ProgressEvent): void => {
    const percent = typeof event.fraction === 'number' ? `${Math.round(event.fraction * 100)}% ` : '';
    this.status = `${percent}${event.message}`.trim() || 'running';
    if (this.tty) this.draw();
    else this.stream.write(`progress: ${this.status}\n`);
  };

  /** Clears the live line; then prints the final status line. */
  finish(result: ExecutionResult): void {
    this.stop();
    this.stream.write(`${finalStatusLine(result)}\n`);
    if (result.status !== 'completed' && result.error?.suggestion) {
      this.stream.write(`  hint: ${result.error.suggestion}\n`);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  private line(text: string): void {
    this.clear();
    this.stream.write(`${text}\n`);
    if (this.timer) this.draw();
  }

  private clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }

  private draw(): void {
    this.frame = (this.frame + 1) % FRAMES.length;
    const seconds = ((Date.now() - this.startedAt) / 1000).toFixed(1);
    const text = `${FRAMES[this.frame]} ${this.status} (${seconds} s)`;
    const width = this.stream.columns || 80; // 0 on a terminal of unknown size
    this.stream.write(`\r\x1b[2K${text.length < width ? text : `${text.slice(0, width - 2)}…`}`);
    this.drawn = true;
  }
}

export function formatLog(entry: LogEntry): string {
  const data = entry.data === undefined ? '' : ` ${JSON.stringify(entry.data)}`;
  return `[${entry.level}] ${entry.message}${data}`;
}

/** `✔ completed in 812 ms · 3 tool calls · 1 LLM call`, or `✖ failed: CODE: message (line 2) · …`. */
export function finalStatusLine(result: ExecutionResult): string {
  const { stats } = result;
  const counts = [
    `${Math.round(stats.duration)} ms`,
    ...(stats.toolCallsCount !== undefined ? [plural(stats.toolCallsCount, 'tool call')] : []),
    ...(stats.llmCallsCount > 0 ? [plural(stats.llmCallsCount, 'LLM call')] : []),
    ...(stats.approvalCallsCount > 0 ? [plural(stats.approvalCallsCount, 'approval')] : []),
  ].join(' · ');
  if (result.status === 'completed') return `✔ completed in ${counts}`;
  const error = result.error;
  const where =
    error && typeof error.line === 'number' && !error.message.includes(`line ${error.line}`)
      ? ` (line ${error.line})`
      : '';
  const reason = error ? `: ${error.code}: ${error.message}${where}` : '';
  return `✖ ${result.status}${reason} · ${counts}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
