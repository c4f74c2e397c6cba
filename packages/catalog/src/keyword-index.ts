import { searchWords } from './tokenize.js';

// BM25F (Robertson and Zaragoza): each field's term counts are length-normalized against the
// field's own average length, weighted, summed into one pseudo-frequency per term and document,
// then saturated once. Kept apart from the catalog so other rankers can merge with its hits.

export interface KeywordField {
  text: string;
  /** Multiplies the field's normalized term frequencies; 1 for prose, more for names. */
  weight: number;
  /**
   * Fields of the same name share an average length (default: the field's position in the
   * document's list).
   */
  name?: string;
  /** Length normalization of this field, 0..1 (default: the index's `b`). */
  b?: number;
}

export interface KeywordDocument {
  id: string;
  fields: readonly KeywordField[];
}

export interface KeywordHit {
  id: string;
  score: number;
}

/** A query term and how much it counts (1 for the request's own words). */
export interface WeightedTerm {
  term: string;
  weight: number;
}

export interface KeywordIndex {
  readonly size: number;
  /** The best `k` documents for `query`, best first (ties by id); `filter` skips documents. */
  search(query: string | readonly WeightedTerm[], k: number, filter?: (id: string) => boolean): KeywordHit[];
  /** Whether `term` (a token) occurs in some document. */
  has(term: string): boolean;
  /** The inverse document frequency of `term`; 0 when it occurs nowhere. */
  idf(term: string): number;
  /** Every indexed term. */
  terms(): readonly string[];
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
  const building = new Map<string, { docs: number[]; frequencies: number[] }>();

  const fieldKey = (field: KeywordField, position: number) => field.name ?? `#${position}`;
  const fieldLengths = new Map<string, { total: number; count: number }>();
  const tokenized = documents.map((document) =>
    document.fields.map((field, position) => {
      const tokens = searchWords(field.text);
      const key = fieldKey(field, position);
      const stats = fieldLengths.get(key) ?? { total: 0, count: 0 };
      stats.total += tokens.length;
      stats.count++;
      fieldLengths.set(key, stats);
      return tokens;
    }),
  );
  const averageLength = (key: string) => {
    const stats = fieldLengths.get(key);
    return stats && stats.total > 0 ? stats.total / stats.count : 1;
  };

  documents.forEach((document, docIndex) => {
    const counts = new Map<string, number>();
    document.fields.forEach((field, position) => {
      const tokens = tokenized[docIndex]![position]!;
      if (tokens.length === 0 || field.weight === 0) return;
      const fieldB = field.b ?? b;
      const norm = 1 - fieldB + (fieldB * tokens.length) / averageLength(fieldKey(field, position));
      const perOccurrence = field.weight / norm;
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + perOccurrence);
    });
    for (const [token, frequency] of counts) {
      let posting = building.get(token);
      if (!posting) {
        posting = { docs: [], frequencies: [] };
        building.set(token, posting);
      }
      posting.docs.push(docIndex);
      posting.frequencies.push(frequency);
    }
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

  function idf(term: string): number {
    const posting = postings.get(term);
    if (!posting) return 0;
    const documentFrequency = posting.docs.length;
    return Math.log(1 + (total - documentFrequency + 0.5) / (documentFrequency + 0.5));
  }

  function accumulate(term: string, weight: number): void {
    const posting = postings.get(term);
    if (!posting) return;
    const termIdf = idf(term);
    for (let index = 0; index < posting.docs.length; index++) {
      const doc = posting.docs[index]!;
      const frequency = posting.frequencies[index]!;
      if (scores[doc] === 0) touched.push(doc);
      scores[doc] = scores[doc]! + weight * termIdf * ((frequency * (k1 + 1)) / (frequency + k1));
    }
  }

  function queryTerms(query: string | readonly WeightedTerm[]): WeightedTerm[] {
    const weights = new Map<string, number>();
    const add = (term: string, weight: number) => weights.set(term, Math.max(weights.get(term) ?? 0, weight));
    if (typeof query === 'string') {
      for (const term of searchWords(query)) add(term, 1);
    } else {
      for (const { term, weight } of query) if (weight > 0) add(term, weight);
    }
    // A query word also matches longer words it starts (`repo` → `repository`), discounted.
    for (const [term, weight] of [...weights]) {
      for (const expansion of prefixMatches(term)) add(expansion, weight * prefixWeight);
    }
    return [...weights].map(([term, weight]) => ({ term, weight }));
  }

  function search(
    query: string | readonly WeightedTerm[],
    k: number,
    filter?: (id: string) => boolean,
  ): KeywordHit[] {
    const terms = queryTerms(query);
    if (terms.length === 0 || k <= 0) return [];
    try {
      for (const { term, weight } of terms) accumulate(term, weight);
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

  return {
    size: total,
    search,
    has: (term) => postings.has(term),
    idf,
    terms: () => vocabulary,
  };
}
