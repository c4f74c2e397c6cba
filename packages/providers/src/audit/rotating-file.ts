import { type FileHandle, mkdir, open, readdir, rename } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

export interface RotatingFileOptions {
  path: string;
  rotateDaily: boolean;
  maxSizeBytes: number | undefined;
  now: () => number;
}

/** Thrown by `append`: `written` leading lines reached the file before the failure. */
export class AppendError extends Error {
  constructor(
    readonly written: number,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

const utcDay = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

/**
 * An append-only file that is renamed aside (`audit.2026-11-21.3.jsonl`) when the UTC day changes
 * or the next line would push it past `maxSizeBytes`. Lines are never split across files; a single
 * line longer than the limit gets a file of its own. The active file is always `path`.
 */
export class RotatingFile {
  private handle: FileHandle | undefined;
  /** Bytes in the active file. */
  private size = 0;
  /** UTC day of the active file's first line. */
  private day = '';
  private readonly nextIndexByDay = new Map<string, number>();

  constructor(private readonly options: RotatingFileOptions) {}

  /**
   * Appends complete lines (each ending in `\n`), rotating between them as needed. On failure it
   * throws an AppendError carrying how many leading lines were written, so a retry repeats none.
   */
  async append(lines: string[]): Promise<void> {
    let written = 0;
    try {
      await this.ensureOpen();
      let chunk: string[] = [];
      let chunkBytes = 0;
      for (const line of lines) {
        const bytes = Buffer.byteLength(line);
        if (this.mustRotateBefore(this.size + chunkBytes, bytes)) {
          await this.writeChunk(chunk, chunkBytes);
          written += chunk.length;
          chunk = [];
          chunkBytes = 0;
          await this.rotate();
        }
        if (this.size + chunkBytes === 0) this.day = utcDay(this.options.now());
        chunk.push(line);
        chunkBytes += bytes;
      }
      await this.writeChunk(chunk, chunkBytes);
    } catch (error) {
      // Reopen (and re-measure the file) on the next attempt.
      await this.close().catch(() => {});
      throw new AppendError(written, error);
    }
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private mustRotateBefore(contentBytes: number, lineBytes: number): boolean {
    if (contentBytes === 0) return false;
    if (this.options.rotateDaily && utcDay(this.options.now()) !== this.day) return true;
    const max = this.options.maxSizeBytes;
    return max !== undefined && contentBytes + lineBytes > max;
  }

  private async writeChunk(chunk: string[], bytes: number): Promise<void> {
    if (chunk.length === 0) return;
    if (this.handle === undefined) throw new Error('audit file is not open');
    await this.handle.appendFile(chunk.join(''));
    this.size += bytes;
  }

  private async ensureOpen(): Promise<void> {
    if (this.handle !== undefined) return;
    await mkdir(dirname(this.options.path), { recursive: true });
    const handle = await open(this.options.path, 'a');
    try {
      const stat = await handle.stat();
      this.size = stat.size;
      this.day = utcDay(stat.size > 0 ? stat.mtimeMs : this.options.now());
    } catch (error) {
      await handle.close();
      throw error;
    }
    this.handle = handle;
  }

  private async rotate(): Promise<void> {
    await this.close();
    await rename(this.options.path, await this.rotatedPath(this.day));
    await this.ensureOpen();
  }

  private async rotatedPath(day: string): Promise<string> {
    const { path } = this.options;
    const extension = extname(path);
    const stem = basename(path, extension);
    let index = this.nextIndexByDay.get(day);
    if (index === undefined) {
      // First rotation of this day in this process: continue after files left by earlier runs.
      const prefix = `${stem}.${day}.`;
      index = 1;
      for (const name of await readdir(dirname(path))) {
        if (!name.startsWith(prefix) || !name.endsWith(extension)) continue;
        const existing = Number(name.slice(prefix.length, name.length - extension.length));
        if (Number.isInteger(existing) && existing >= index) index = existing + 1;
      }
    }
    this.nextIndexByDay.set(day, index + 1);
    return join(dirname(path), `${stem}.${day}.${index}${extension}`);
  }
}
