import { SILENT_LOGGER } from '../src/execution/deps.js';
import { type IsolateReuse, SandboxPool } from '../src/sandbox/pool.js';
import type { Sandbox } from '../src/sandbox/sandbox.js';

// The pool with real isolates: how reused isolates get their fresh contexts after a burst. A burst
// hands many isolates back at once; the pool prepares at most `maxPreparing` fresh contexts at a time
// (the others wait their turn), and requests that arrive meanwhile get reused isolates, not new ones.

const MEMORY_MB = 64;
const reuse = (maxPreparing: number): IsolateReuse => ({
  maxUses: 100,
  maxHeapBytes: 64 * 1024 * 1024,
  maxIdle: 16,
  trimIntervalMs: 0,
  maxPreparing,
});

const pools: SandboxPool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.close();
});

function poolOf(maxPreparing: number): SandboxPool {
  const pool = new SandboxPool(0, MEMORY_MB, SILENT_LOGGER, false, reuse(maxPreparing));
  pools.push(pool);
  return pool;
}

const takeMany = (pool: SandboxPool, count: number) =>
  Promise.all(Array.from({ length: count }, () => pool.take(MEMORY_MB)));

async function waitFor(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(predicate()).toBe(true);
}

/** Counts how many of these sandboxes are being given a fresh context at the same time. */
function watchPreparing(sandboxes: Sandbox[]): { max: number } {
  const seen = { max: 0 };
  let now = 0;
  for (const sandbox of sandboxes) {
    const next = sandbox.next.bind(sandbox);
    sandbox.next = async () => {
      now++;
      seen.max = Math.max(seen.max, now);
      try {
        return await next();
      } finally {
        now--;
      }
    };
  }
  return seen;
}

describe('sandbox pool: fresh contexts for reused isolates after a burst', () => {
  it('prepares at most maxPreparing at a time, and every released isolate comes back', async () => {
    const pool = poolOf(2);
    const burst = await takeMany(pool, 6);
    expect(pool.created).toBe(6);
    const preparing = watchPreparing(burst);
    for (const sandbox of burst) pool.release(sandbox, true, 0);
    await waitFor(() => pool.available === 6);
    expect(preparing.max).toBe(2);
    expect(pool.created).toBe(6);
  });

  it('gives requests that arrive while contexts are queued the reused isolates, not new ones', async () => {
    const pool = poolOf(1);
    const burst = await takeMany(pool, 4);
    for (const sandbox of burst) pool.release(sandbox, true, 0);
    const next = await takeMany(pool, 4);
    expect(pool.created).toBe(4);
    expect(new Set(next).size).toBe(4);
    for (const sandbox of next) {
      expect(sandbox.isDisposed).toBe(false);
      expect(sandbox.isolateUses).toBe(2);
    }
  });

  it('disposes the isolates still queued for a fresh context when it closes', async () => {
    const pool = poolOf(1);
    const burst = await takeMany(pool, 4);
    for (const sandbox of burst) pool.release(sandbox, true, 0);
    await pool.close();
    expect(pool.available).toBe(0);
    await expect(pool.take(MEMORY_MB)).rejects.toThrow('The sandbox pool is closed');
  });
});
