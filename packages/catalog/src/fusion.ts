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
 * Fused hits, best first (ties by id). `linear`: weights are divided by their total, so scores are
 * 0..1; `rrf`: Σ (weight / mean weight) / (k + rank). A document missing from a list scores 0 in it.
 */
export function fuseLists(
  lists: readonly WeightedList[],
  options: { method?: FusionMethod; rrfK?: number } = {},
): KeywordHit[] {
  const fused = new Map<string, number>();
  const add = (id: string, value: number): void => {
    fused.set(id, (fused.get(id) ?? 0) + value);
  };
  const weights = lists.map((list) => Math.max(0, list.weight));
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0) || 1;
  lists.forEach((list, position) => {
    if (list.hits.length === 0) return;
    if ((options.method ?? 'linear') === 'rrf') {
      // Relative to the mean weight: equal weights give the plain sum of 1 / (k + rank).
      const weight = (weights[position]! * lists.length) / totalWeight;
      const k = options.rrfK ?? 60;
      for (let rank = 0; rank < list.hits.length; rank++) add(list.hits[rank]!.id, weight / (k + rank + 1));
      return;
    }
    const weight = weights[position]! / totalWeight;
    const best = list.hits[0]!.score;
    const worst = list.scale === 'range' ? list.hits[list.hits.length - 1]!.score : 0;
    const range = best - worst;
    for (const hit of list.hits) add(hit.id, weight * (range > 0 ? (hit.score - worst) / range : 1));
  });
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
