import { randomUUID } from 'node:crypto';
import { type CacheProvider, ProviderError } from '@agent-tool-protocol/protocol';
import { sleep } from '../sleep.js';

/** How long a holder may keep a lock before others may take it (a crashed holder). */
const LOCK_TTL_SECONDS = 5;
/** How long a caller waits for a lock before giving up with a retryable error. */
const WAIT_MS = 6_000;

/**
 * Mutual exclusion per key across every instance sharing the store (`setIfAbsent` with a TTL, released
 * by its owner only), with callers on this instance queued in memory first so they do not spin on it.
 */
export class StoreLock {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly store: CacheProvider) {}

  async with<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.holding(key, work));
    this.queues.set(key, run);
    try {
      return await run;
    } finally {
      if (this.queues.get(key) === run) this.queues.delete(key);
    }
  }

  private async holding<T>(key: string, work: () => Promise<T>): Promise<T> {
    const token = randomUUID();
    const deadline = Date.now() + WAIT_MS;
    let pause = 2;
    while (!(await this.store.setIfAbsent(key, token, LOCK_TTL_SECONDS))) {
      if (Date.now() > deadline) {
        throw new ProviderError(`Could not take the lock ${key} within ${WAIT_MS} ms; retry shortly.`);
      }
      await sleep(pause);
      pause = Math.min(pause * 2, 50);
    }
    try {
      return await work();
    } finally {
      await this.store.deleteIfEquals(key, token).catch(() => undefined);
    }
  }
}
