import type { Writable } from 'node:stream';

export interface ProgressTask {
  succeed(text: string): void;
  fail(text: string): void;
}

export interface Progress {
  start(label: string): ProgressTask;
  /** A finished line that belongs to no task (summaries, warnings). */
  line(text: string): void;
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Progress on stderr: on a terminal one spinner line naming everything still loading, redrawn in place;
 * otherwise (pipes, CI, log files) plain `…` lines when a task starts and `✔`/`✖` lines when it ends.
 */
export function createProgress(stream: Writable & { isTTY?: boolean } = process.stderr): Progress {
  return stream.isTTY ? new SpinnerProgress(stream) : new PlainProgress(stream);
}

/** Writes nothing: for the programmatic API. */
export const silentProgress: Progress = {
  start: () => ({ succeed: () => {}, fail: () => {} }),
  line: () => {},
  stop: () => {},
};

class PlainProgress implements Progress {
  constructor(private readonly stream: Writable) {}

  start(label: string): ProgressTask {
    const startedAt = Date.now();
    this.line(`… ${label}`);
    return {
      succeed: (text) => this.line(`✔ ${text} (${Date.now() - startedAt} ms)`),
      fail: (text) => this.line(`✖ ${text}`),
    };
  }

  line(text: string): void {
    this.stream.write(`${text}\n`);
  }

  stop(): void {}
}

class SpinnerProgress implements Progress {
  private readonly pending = new Set<string>();
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly stream: Writable) {}

  start(label: string): ProgressTask {
    const startedAt = Date.now();
    this.pending.add(label);
    this.timer ??= setInterval(() => this.render(), 80).unref();
    this.render();
    const finish = (text: string) => {
      this.pending.delete(label);
      this.line(text);
      if (this.pending.size === 0) this.stop();
    };
    return {
      succeed: (text) => finish(`✔ ${text} (${Date.now() - startedAt} ms)`),
      fail: (text) => finish(`✖ ${text}`),
    };
  }

  line(text: string): void {
    this.stream.write(`\r\x1b[2K${text}\n`);
    this.render();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stream.write('\r\x1b[2K');
  }

  private render(): void {
    if (this.pending.size === 0) return;
    this.frame = (this.frame + 1) % FRAMES.length;
    // One line only: a wrapped line could not be redrawn in place.
    const width = (this.stream as { columns?: number }).columns || 80; // 0 on a terminal of unknown size
    const text = `${FRAMES[this.frame]} ${[...this.pending].join(', ')}`;
    this.stream.write(`\r\x1b[2K${text.length < width ? text : `${text.slice(0, width - 2)}…`}`);
  }
}
