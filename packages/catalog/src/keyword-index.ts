import { tokenize } from './tokenize.js';

// BM25 over weighted fields (a simplified BM25F: a field's weight multiplies its term counts).
// Kept apart from the catalog so another ranker (embeddings) can later merge with its hits.

export interface KeywordField {
  text: string;
  /** Multiplies the field's term frequencies; 1 for prose, more for names. */
  weight: number;
}

export interface KeywordDocument {
  id: string;
  fields: readonly KeywordField[];
}

export interface KeywordHit {
  id: string;
  score: number;
}

export interface KeywordIndex {
  readonly size: number;
  /** The best `k` documents for `query`, best first (ties by id); `filter` skips documents. */
  search(query: string, k: number, filter?: (id: string) => boolean): KeywordHit[];
}

export interface KeywordIndexOptions {
  k1?: number;
  b?: number;
  /** Weight of a vocabulary term that only starts with a query term (`repo` → `repository`). */
  prefixWeight?: number;
}

interface Posting {
  docs: Int32Array;
  frequencies: Float32Array;
}

const MIN_PREFIX_LENGTH = 3;
const MAX_PREFIX_EXPANSIONS = 32;

export function createKeywordIndex(
  documents: readonly KeywordDocument[],
  options: KeywordIndexOptions = {},
): KeywordIndex {
  const k1 = options.k1 ?? 1.2;
  const b = options.b ?? 0.75;
  const prefixWeight = options.prefixWeight ?? 0.4;
  const ids = documents.map((document) => document.id);
  const lengths = new Float64Array(documents.length);
  const building = new Map<string, { docs: number[]; frequencies: number[] }>();

  documents.forEach((document, docIndex) => {
    const counts = new Map<string, number>();
    for (const field of document.fields) {
      for (const token of tokenize(field.text)) counts.set(token, (counts.get(token) ?? 0) + field.weight);
    }
    let length = 0;
    for (const [token, frequency] of counts) {
      length += frequency;
      let posting = building.get(token);
      if (!posting) {
        posting = { docs: [], frequencies: [] };
        building.set(token, posting);
      }
      posting.docs.push(docIndex);
      posting.frequencies.push(frequency);
    }
    lengths[docIndex] = length;
  });

  const postings = new Map<string, Posting>();
  for (const [token, posting] of building) {
    postings.set(token, {
      docs: Int32Array.from(posting.docs),
      frequencies: Float32Array.from(posting.frequencies),
    });
  }
  const vocabulary = [...postings.keys()].sort();
  const total = documents.length;
  const averageLength = total === 0 ? 1 : lengths.reduce((sum, length) => sum + length, 0) / total || 1;
  const scores = new Float64Array(total);
  const touched: number[] = [];

  function prefixMatches(term: string): string[] {
    if (term.length < MIN_PREFIX_LENGTH) return [];
    let low = 0;
    let high = vocabulary.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (vocabulary[middle]! < term) low = middle + 1;
      else high = middle;
    }
    const matches: string[] = [];
    for (let index = low; index < vocabulary.length && matches.length < MAX_PREFIX_EXPANSIONS; index++) {
      const word = vocabulary[index]!;
      if (!word.startsWith(term)) break;
      if (word !== term) matches.push(word);
    }
    return matches;
  }

  function accumulate(term: string, weight: number): void {
    const posting = postings.get(term);
    if (!posting) return;
    const documentFrequency = posting.docs.length;
    const idf = Math.log(1 + (total - documentFrequency + 0.5) / (documentFrequency + 0.5));
    for (let index = 0; index < posting.docs.length; index++) {
      const doc = posting.docs[index]!;
      const frequency = posting.frequencies[index]!;
      const norm = frequency + k1 * (1 - b + (b * lengths[doc]!) / averageLength);
      if (scores[doc] === 0) touched.push(doc);
      scores[doc] = scores[doc]! + weight * idf * ((frequency * (k1 + 1)) / norm);
    }
  }

  function search(query: string, k: number, filter?: (id: string) => boolean): KeywordHit[] {
    const terms = [...new Set(tokenize(query))];
    if (terms.length === 0 || k <= 0) return [];
    try {
      for (const term of terms) {
        accumulate(term, 1);
        for (const expansion of prefixMatches(term)) accumulate(expansion, prefixWeight);
      }
      return topK(k, filter);
    } finally {
      for (const doc of touched) scores[doc] = 0;
      touched.length = 0;
    }
  }

  function better(a: KeywordHit, b: KeywordHit): boolean {
    return a.score > b.score || (a.score === b.score && a.id < b.id);
  }

  /** Keeps a sorted list of at most k hits: O(n log k) instead of sorting every touched document. */
  function topK(k: number, filter?: (id: string) => boolean): KeywordHit[] {
    const best: KeywordHit[] = [];
    for (const doc of touched) {
      const hit = { id: ids[doc]!, score: scores[doc]! };
      if (best.length === k && !better(hit, best[k - 1]!)) continue;
      if (filter && !filter(hit.id)) continue;
      let low = 0;
      let high = best.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (better(best[middle]!, hit)) low = middle + 1;
        else high = middle;
      }
      best.splice(low, 0, hit);
      if (best.length > k) best.pop();
    }
    return best;
  }

  return { size: total, search };
}
