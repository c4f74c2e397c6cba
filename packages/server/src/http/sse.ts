import type { StreamListeners } from '@agent-tool-protocol/engine';
import { isATPError, type LogEntry, type ProgressEvent } from '@agent-tool-protocol/protocol';
import type { Response } from 'express';

/** Least time between two progress events on one stream; the latest one always gets through. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * A server-sent-events stream for one execution: `progress` and `log` events while it runs, then one
 * `result` event (the ExecutionResult) or one `error` event (`{message, code}`).
 */
export class ExecutionEventStream {
  private lastProgressAt = 0;
  private pendingProgress: ProgressEvent | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly res: Response) {}

  open(): void {
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    this.res.flushHeaders();
    this.res.on('close', () => {
      this.closed = true;
      clearTimeout(this.timer);
    });
  }

  listeners(): StreamListeners {
    return {
      onLog: (entry: LogEntry) => this.send('log', entry),
      onProgress: (event: ProgressEvent) => this.progress(event),
    };
  }

  finish(result: unknown): void {
    this.flushProgress();
    this.send('result', result);
    this.end();
  }

  fail(error: unknown): void {
    this.flushProgress();
    const body = isATPError(error)
      ? { message: error.message, code: error.code, details: error.details }
      : { message: 'The execution failed on the server.', code: 'INTERNAL_ERROR' };
    this.send('error', body);
    this.end();
  }

  private progress(event: ProgressEvent): void {
    const now = Date.now();
    if (now - this.lastProgressAt >= PROGRESS_INTERVAL_MS) {
      this.lastProgressAt = now;
      this.pendingProgress = undefined;
      this.send('progress', event);
      return;
    }
    this.pendingProgress = event;
    this.timer ??= setTimeout(
      () => {
        this.timer = undefined;
        this.flushProgress();
      },
      PROGRESS_INTERVAL_MS - (now - this.lastProgressAt),
    );
  }

  private flushProgress(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pendingProgress) return;
    const event = this.pendingProgress;
    this.pendingProgress = undefined;
    this.lastProgressAt = Date.now();
    this.send('progress', event);
  }

  private send(event: string, data: unknown): void {
    if (this.closed) return;
    this.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private end(): void {
    if (this.closed) return;
    this.closed = true;
    this.res.end();
  }
}
