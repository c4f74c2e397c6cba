import { createHash } from 'node:crypto';

// The development/test split, decided once: within each spec, tasks are ordered by a seeded hash of
// their text and the first half (rounded down) is `dev`. The split is recorded in the task files;
// the tests check that the recorded split is still this rule's, so nobody moves a task between halves.

export type Split = 'dev' | 'test';

export const SPLIT_SEED = 'atp-discovery-eval-v1';

function splitHash(query: string): string {
  return createHash('sha256').update(`${SPLIT_SEED}\n${query}`).digest('hex');
}

/** The split of each query of one spec, in the given order. */
export function assignSplits(queries: readonly string[]): Split[] {
  const order = queries
    .map((query, index) => ({ index, hash: splitHash(query) }))
    .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : a.index - b.index));
  const splits: Split[] = new Array(queries.length);
  const devCount = Math.floor(queries.length / 2);
  order.forEach(({ index }, position) => {
    splits[index] = position < devCount ? 'dev' : 'test';
  });
  return splits;
}
