import {
  type AuditEvent,
  type AuditSink,
  type Logger,
  ProviderError,
  parseOrThrow,
  silentLogger,
} from '@agent-tool-protocol/protocol';
import { z } from 'zod';
import { createRedactor, type RedactionOptions, type Redactor } from './redact.js';
import { AppendError, RotatingFile } from './rotating-file.js';

/** An audit record of any shape: what the sink writes. */
export type AuditRecord = Readonly<Record<string, unknown>>;

export interface JSONLAuditSinkOptions {
  /** The active file; rotated files are renamed beside it (`audit.2026-11-21.1.jsonl`). */
  path: string;
  /** Start a new file when the UTC day changes. Default false. */
  rotateDaily?: boolean;
  /** Start a new file before one would grow past this size. Default: no limit. */
  maxSizeBytes?: number;
  redact?: RedactionOptions;
  /**
   * Events held in memory while the disk catches up (default 10,000). When full, new events are
   * dropped and counted, and an `audit_events_dropped` record with the count is written once there
   * is room again: `write()` never blocks or throws.
   */
  maxBufferedEvents?: number;
  /** How long an event may wait in memory before a write starts. Default 50 ms. */
  flushIntervalMs?: number;
  logger?: Logger;
  /** Clock, for tests of daily rotation. */
  now?: () => number;
}

export interface AuditSinkStats {
  buffered: number;
  written: number;
  dropped: number;
}

const OptionsSchema = z.object({
  path: z.string().min(1, 'must not be empty'),
  rotateDaily: z.boolean().optional(),
  maxSizeBytes: z.number().int().positive().optional(),
  redact: z
    .object({
      keys: z.array(z.union([z.string().min(1), z.instanceof(RegExp)])).optional(),
      arguments: z.enum(['hash', 'redact', 'keep']).optional(),
    })
    .optional(),
  maxBufferedEvents: z.number().int().positive().optional(),
  flushIntervalMs: z.number().int().nonnegative().optional(),
  logger: z.custom<Logger>((value) => typeof value === 'object' && value !== null).optional(),
  now: z.custom<() => number>((value) => typeof value === 'function').optional(),
});

const MAX_LINES_PER_WRITE = 1_000;
const RETRY_DELAY_MS = 1_000;

/**
 * Append-only JSON Lines audit log. `write()` redacts and serialises the event synchronously (a
 * snapshot: later changes to the object are not recorded) and returns; a background loop appends
 * batches to the file. `flush()` and `close()` resolve once everything written before them is on
 * disk. Call `close()` on shutdown.
 */
export class JSONLAuditSink implements AuditSink {
  readonly name = 'jsonl';
  private readonly file: RotatingFile;
  private readonly redact: Redactor;
  private readonly maxBuffered: number;
  private readonly flushIntervalMs: number;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly path: string;
  private buffer: string[] = [];
  private written = 0;
  private dropped = 0;
  private droppedSinceNotice = 0;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private retryPending = false;

  constructor(options: JSONLAuditSinkOptions) {
    const parsed = parseOrThrow(OptionsSchema, options, 'JSONLAuditSink options');
    this.path = parsed.path;
    this.now = parsed.now ?? Date.now;
    this.file = new RotatingFile({
      path: parsed.path,
      rotateDaily: parsed.rotateDaily ?? false,
      maxSizeBytes: parsed.maxSizeBytes,
      now: this.now,
    });
    this.redact = createRedactor(parsed.redact);
    this.maxBuffered = parsed.maxBufferedEvents ?? 10_000;
    this.flushIntervalMs = parsed.flushIntervalMs ?? 50;
    this.logger = parsed.logger ?? silentLogger;
  }

  /**
   * Appends `event` as one line. Any JSON object is accepted, not only the engine's `AuditEvent`s, and
   * secrets are redacted wherever they are in it.
   */
  write(event: AuditEvent | AuditRecord): void {
    if (this.closing !== undefined) {
      this.drop('the sink is closed');
      return;
    }
    if (this.buffer.length >= this.maxBuffered) {
      this.drop('the buffer is full');
      return;
    }
    let line: string;
    try {
      line = `${JSON.stringify(this.redact(event))}\n`;
    } catch (error) {
      this.drop(`the event could not be serialised: ${(error as Error).message}`);
      return;
    }
    this.buffer.push(line);
    this.schedule(this.flushIntervalMs);
  }

  /** Resolves once every event written before the call is in the file; rejects if the disk fails. */
  async flush(): Promise<void> {
    this.cancelTimer();
    while (this.buffer.length > 0 || this.droppedSinceNotice > 0 || this.draining !== undefined) {
      await this.drain(true);
    }
  }

  /** Flushes, then closes the file. Later writes are dropped (and counted). Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.flush();
      } finally {
        await this.file.close();
      }
    })();
    return this.closing;
  }

  stats(): AuditSinkStats {
    return { buffered: this.buffer.length, written: this.written, dropped: this.dropped };
  }

  private drop(reason: string): void {
    this.dropped++;
    if (this.closing !== undefined) {
      this.logger.warn({ path: this.path, reason }, 'Audit event dropped');
      return;
    }
    this.droppedSinceNotice++;
    if (this.droppedSinceNotice === 1) this.logger.warn({ path: this.path, reason }, 'Audit events dropped');
    this.schedule(this.flushIntervalMs);
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined || this.draining !== undefined) return;
    // Not unref'd: a pending batch keeps the process alive until it is on disk.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain(false).catch(() => {});
    }, delayMs);
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One drain loop at a time; `rethrow` surfaces a disk failure to flush() callers. */
  private async drain(rethrow: boolean): Promise<void> {
    this.draining ??= this.drainLoop().finally(() => {
      this.draining = undefined;
      // A write that landed after the loop's last check found `draining` set and scheduled nothing.
      if (!this.retryPending && (this.buffer.length > 0 || this.droppedSinceNotice > 0)) {
        this.schedule(this.flushIntervalMs);
      }
    });
    try {
      await this.draining;
    } catch (error) {
      if (rethrow) {
        throw new ProviderError(
          `JSONLAuditSink could not write to ${this.path}: ${(error as Error).message}`,
          {
            cause: error,
            details: { provider: 'jsonl-audit', path: this.path, buffered: this.buffer.length },
          },
        );
      }
    }
  }

  private async drainLoop(): Promise<void> {
    while (this.buffer.length > 0 || this.droppedSinceNotice > 0) {
      const events = this.buffer.slice(0, MAX_LINES_PER_WRITE);
      const notice = events.length < MAX_LINES_PER_WRITE ? this.droppedSinceNotice : 0;
      const lines =
        notice > 0
          ? [
              ...events,
              `${JSON.stringify({ type: 'audit_events_dropped', timestamp: this.now(), count: notice })}\n`,
            ]
          : events;
      try {
        await this.file.append(lines);
      } catch (error) {
        this.commit(error instanceof AppendError ? Math.min(error.written, events.length) : 0);
        this.logger.error({ err: error, path: this.path }, 'Audit log write failed; will retry');
        if (this.closing === undefined && !this.retryPending) {
          this.retryPending = true;
          setTimeout(() => {
            this.retryPending = false;
            this.schedule(0);
          }, RETRY_DELAY_MS).unref();
        }
        throw error instanceof AppendError ? (error.cause ?? error) : error;
      }
      this.commit(events.length);
      this.droppedSinceNotice -= notice;
    }
  }

  /** Removes the `count` leading events that reached the file from the buffer. */
  private commit(count: number): void {
    this.buffer.splice(0, count);
    this.written += count;
  }
}

/** An audit sink writing one JSON line per event, with rotation and redaction. Same as `new JSONLAuditSink(…)`. */
export function createJSONLAuditSink(options: JSONLAuditSinkOptions): JSONLAuditSink {
  return new JSONLAuditSink(options);
}
