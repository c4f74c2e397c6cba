/** How often a running entry is checked (and at the latest when its CPU budget runs out), in ms. */
const WATCH_INTERVAL_MS = 25;

/** One entry into the sandbox, from the host's call until the sandbox yields (or dies). */
export class Entry {
  finished = false;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor() {
    this.done = new Promise<void>((resolve) => {
      this.resolveDone = resolve;
    });
  }

  readonly finish = (): void => {
    if (this.finished) return;
    this.finished = true;
    this.resolveDone();
  };
}

/** What the watchdog of a running entry reads and does. */
export interface EntryWatch {
  /** CPU time the execution may still use, in ms (isolated-vm's CPU clock is live). */
  cpuLeftMs(): number;
  /** True once isolated-vm disposed the isolate itself: its memory limit. */
  disposedByLimit(): boolean;
  /** True once the execution ended otherwise (then the watch stops). */
  ended(): boolean;
  onMemoryExceeded(): void;
  onCpuExceeded(): void;
}

/**
 * Watches a running entry: ends it when the CPU budget runs out, whether or not V8 can interrupt what
 * runs (some native loops cannot be interrupted; the isolate is then disposed and left to finish on
 * its own thread), and when isolated-vm disposed the isolate for its memory. Returns the stop.
 */
export function watchEntry(entry: Entry, watch: EntryWatch): () => void {
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(check, Math.max(1, Math.min(Math.ceil(watch.cpuLeftMs()), WATCH_INTERVAL_MS)));
  };
  const check = () => {
    if (entry.finished || watch.ended()) return;
    if (watch.disposedByLimit()) watch.onMemoryExceeded();
    else if (watch.cpuLeftMs() <= 0) watch.onCpuExceeded();
    else schedule();
  };
  schedule();
  return () => clearTimeout(timer);
}
