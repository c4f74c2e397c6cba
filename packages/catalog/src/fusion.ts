import type { KeywordHit } from './keyword-index.js';

// Hybrid ranking: merges the keyword (BM25) and vector (cosine) candidate lists into one.

export type FusionMethod = 'linear' | 'rrf';

export interface FusionOptions {
  /** `linear` (default): weighted sum of scores normalized per list; `rrf`: reciprocal rank fusion. */
  method?: FusionMethod;
  /** Share of the keyword score in `linear` fusion, 0..1 (default 0.5). */
  keywordWeight?: number;
  /** The `k` of RRF: 1 / (k + rank) (default 60). */
  rrfK?: number;
}

/**
 * Fused hits, best first (ties by id). `linear`: a keyword score is divided by the best keyword
 * score; a cosine is scaled to 0..1 between the worst and best vector candidates; the two are
 * mixed by `keywordWeight`. A document missing from one list scores 0 in it.
 */
export function fuseHits(
  keyword: readonly KeywordHit[],
  vector: readonly KeywordHit[],
  options: FusionOptions = {},
): KeywordHit[] {
  const fused = new Map<string, number>();
  const add = (id: string, value: number): void => {
    fused.set(id, (fused.get(id) ?? 0) + value);
  };
  if ((options.method ?? 'linear') === 'rrf') {
    const k = options.rrfK ?? 60;
    for (const list of [keyword, vector]) {
      for (let rank = 0; rank < list.length; rank++) add(list[rank]!.id, 1 / (k + rank + 1));
    }
  } else {
    const keywordWeight = Math.min(1, Math.max(0, options.keywordWeight ?? 0.5));
    const bestKeyword = keyword[0]?.score ?? 0;
    for (const hit of keyword) add(hit.id, bestKeyword > 0 ? (keywordWeight * hit.score) / bestKeyword : 0);
    const bestVector = vector[0]?.score ?? 0;
    const worstVector = vector[vector.length - 1]?.score ?? 0;
    const range = bestVector - worstVector;
    for (const hit of vector) {
      add(hit.id, (1 - keywordWeight) * (range > 0 ? (hit.score - worstVector) / range : 1));
    }
  }
  return [...fused]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
