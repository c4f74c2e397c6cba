import type { KeywordHit } from './keyword-index.js';

// Hybrid ranking: merges ranked candidate lists (keyword, word vectors, an embeddings provider)
// into one.

export type FusionMethod = 'linear' | 'rrf';

export interface FusionOptions {
  /** `linear` (default): weighted sum of scores normalized per list; `rrf`: reciprocal rank fusion. */
  method?: FusionMethod;
  /** Share of the first list (the catalog's own ranking) in `fuseHits`, 0..1 (default 0.5). */
  keywordWeight?: number;
  /** The `k` of RRF: 1 / (k + rank) (default 60). */
  rrfK?: number;
}

export interface WeightedList {
  hits: readonly KeywordHit[];
  weight: number;
  /**
   * How `linear` scales the list's scores to 0..1: `max` divides by the best score (keyword
   * scores, whose zero means no match); `range` maps worst..best candidate to 0..1 (cosines).
   */
  scale: 'max' | 'range';
}

function ordered(fused: Map<string, number>): KeywordHit[] {
  return [...fused]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Fused hits, best first (ties by id), scores divided by the total weight (0..1). A document
 * missing from a list scores 0 in it.
 */
export function fuseLists(
  lists: readonly WeightedList[],
  options: { method?: FusionMethod; rrfK?: number } = {},
): KeywordHit[] {
  const fused = new Map<string, number>();
  const add = (id: string, value: number): void => {
    fused.set(id, (fused.get(id) ?? 0) + value);
  };
  const totalWeight = lists.reduce((sum, list) => sum + Math.max(0, list.weight), 0) || 1;
  for (const list of lists) {
    const weight = Math.max(0, list.weight) / totalWeight;
    if (weight === 0 || list.hits.length === 0) continue;
    if ((options.method ?? 'linear') === 'rrf') {
      const k = options.rrfK ?? 60;
      for (let rank = 0; rank < list.hits.length; rank++) add(list.hits[rank]!.id, (weight * (k + 1)) / (k + rank + 1));
      continue;
    }
    const best = list.hits[0]!.score;
    const worst = list.scale === 'range' ? list.hits[list.hits.length - 1]!.score : 0;
    const range = best - worst;
    for (const hit of list.hits) add(hit.id, weight * (range > 0 ? (hit.score - worst) / range : 1));
  }
  return ordered(fused);
}

/**
 * Two lists fused: `first` (keyword scores, or the catalog's own fused ranking) and `vector`
 * (cosines), mixed by `keywordWeight`. A document missing from one list scores 0 in it.
 */
export function fuseHits(
  first: readonly KeywordHit[],
  vector: readonly KeywordHit[],
  options: FusionOptions = {},
): KeywordHit[] {
  const keywordWeight = Math.min(1, Math.max(0, options.keywordWeight ?? 0.5));
  return fuseLists(
    [
      { hits: first, weight: keywordWeight, scale: 'max' },
      { hits: vector, weight: 1 - keywordWeight, scale: 'range' },
    ],
    options,
  );
}
