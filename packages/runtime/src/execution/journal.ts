import type { ExecutionStore, JournalEntry, PausedState } from '../durable/store.js';

/** Unwritten journal bytes kept in memory before they are appended to the cache. */
const FLUSH_BYTES = 4 * 1024 * 1024;

/**
 * The execution journal: one entry per delivery step, in completion order. Entries wait in memory
 * until the execution pauses (most executions never do, and then the journal is never written); beyond
 * FLUSH_BYTES they are appended to the cache in the background, so memory stays bounded.
 */
export class Journal {
  private total = 0;
  private unflushed: JournalEntry[] = [];
  private unflushedBytes = 0;
  private written = false;
  private flushing: Promise<void> = Promise.resolve();
  private flushError: unknown;

  constructor(
    private readonly store: ExecutionStore,
    private readonly executionId: string,
  ) {}

  /** Entries recorded so far, written or not. */
  get length(): number {
    return this.total;
  }

  /** True once entries were appended to the cache in the background. */
  get wasWritten(): boolean {
    return this.written;
  }

  record(entry: JournalEntry): void {
    this.unflushed.push(entry);
    this.total++;
    for (const [, key, , text] of entry.r) this.unflushedBytes += key.length + (text?.length ?? 0) + 16;
    if (this.unflushedBytes < FLUSH_BYTES) return;
    const entries = this.unflushed;
    const previousLength = this.total - entries.length;
    this.unflushed = [];
    this.unflushedBytes = 0;
    this.written = true;
    this.flushing = this.flushing.then(() =>
      this.store.appendJournal(this.executionId, previousLength, entries).catch((error: unknown) => {
        this.flushError ??= error;
      }),
    );
  }

  /** Resolves when background writes are done. */
  async settled(): Promise<void> {
    await this.flushing;
  }

  /** Writes the entries since the last pause and the paused state (`state.journalLength` is ours). */
  async persistPause(state: PausedState): Promise<void> {
    await this.flushing;
    if (this.flushError !== undefined) throw this.flushError;
    const entries = this.unflushed;
    this.unflushed = [];
    this.unflushedBytes = 0;
    await this.store.savePaused(state, entries);
  }

  /** After a durable replay: the stored journal is the execution's, nothing is unwritten. */
  restore(length: number): void {
    this.total = length;
    this.unflushed = [];
    this.unflushedBytes = 0;
  }
}
