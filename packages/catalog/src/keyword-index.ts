import { TermDictionary } from './term-dictionary.js';
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

const MIN_PREFIX_LENGTH = 3;
const MAX_PREFIX_EXPANSIONS = 32;

/** A field already split into term ids (see TermDictionary). */
export interface TokenizedField {
  terms: ArrayLike<number>;
  weight: number;
  /** Fields of the same slot share an average length. */
  slot: number;
  /** Length normalization of this field, 0..1 (default: the index's `b`). */
  b?: number;
}

export interface TokenizedDocument {
  id: string;
  fields: readonly TokenizedField[];
}

/** A BM25F index over documents given as text: tokenized here (`searchWords`), then indexed. */
export function createKeywordIndex(
  documents: readonly KeywordDocument[],
  options: KeywordIndexOptions = {},
): KeywordIndex {
  const dictionary = new TermDictionary();
  const slots = new Map<string, number>();
  const slotOf = (field: KeywordField, position: number) => {
    const key = field.name ?? `#${position}`;
    let slot = slots.get(key);
    if (slot === undefined) {
      slot = slots.size;
      slots.set(key, slot);
    }
    return slot;
  };
  const tokenized = documents.map(
    (document): TokenizedDocument => ({
      id: document.id,
      fields: document.fields.map((field, position) => {
        const tokenizedField: TokenizedField = {
          terms: dictionary.internAll(searchWords(field.text)),
          weight: field.weight,
          slot: slotOf(field, position),
        };
        if (field.b !== undefined) tokenizedField.b = field.b;
        return tokenizedField;
      }),
    }),
  );
  return createTokenizedKeywordIndex(tokenized, dictionary, options);
}

/**
 * A BM25F index over documents already split into term ids. Work is linear in the number of
 * tokens: per-document term frequencies are gathered in one scratch array, then laid out per term
 * (compressed rows) with two counting passes; no string is touched.
 */
export function createTokenizedKeywordIndex(
  documents: readonly TokenizedDocument[],
  dictionary: TermDictionary,
  options: KeywordIndexOptions = {},
): KeywordIndex {
  const k1 = options.k1 ?? 1.2;
  const b = options.b ?? 0.75;
  const prefixWeight = options.prefixWeight ?? 0.4;
  const ids = documents.map((document) => document.id);
  const termCount = dictionary.size;

  const slotTotals: number[] = [];
  const slotCounts: number[] = [];
  let tokenTotal = 0;
  for (const document of documents) {
    for (const field of document.fields) {
      slotTotals[field.slot] = (slotTotals[field.slot] ?? 0) + field.terms.length;
      slotCounts[field.slot] = (slotCounts[field.slot] ?? 0) + 1;
      tokenTotal += field.terms.length;
    }
  }
  const averageLength = (slot: number) =>
    (slotTotals[slot] ?? 0) > 0 ? slotTotals[slot]! / slotCounts[slot]! : 1;

  // (term, document, pseudo-frequency) triples, at most one per token.
  const entryTerms = new Int32Array(tokenTotal);
  const entryDocs = new Int32Array(tokenTotal);
  const entryFrequencies = new Float32Array(tokenTotal);
  let entries = 0;
  const frequency = new Float64Array(termCount);
  const seen: number[] = [];
  documents.forEach((document, docIndex) => {
    for (const field of document.fields) {
      const length = field.terms.length;
      if (length === 0 || field.weight === 0) continue;
      const fieldB = field.b ?? b;
      const perOccurrence = field.weight / (1 - fieldB + (fieldB * length) / averageLength(field.slot));
      for (let index = 0; index < length; index++) {
        const term = field.terms[index]!;
        if (frequency[term] === 0) seen.push(term);
        frequency[term]! += perOccurrence;
      }
    }
    for (const term of seen) {
      entryTerms[entries] = term;
      entryDocs[entries] = docIndex;
      entryFrequencies[entries] = frequency[term]!;
      entries++;
      frequency[term] = 0;
    }
    seen.length = 0;
  });

  const termStart = new Int32Array(termCount + 1);
  for (let entry = 0; entry < entries; entry++) termStart[entryTerms[entry]! + 1]!++;
  for (let term = 0; term < termCount; term++) termStart[term + 1]! += termStart[term]!;
  const postingDocs = new Int32Array(entries);
  const postingFrequencies = new Float32Array(entries);
  const fill = termStart.slice(0, termCount);
  for (let entry = 0; entry < entries; entry++) {
    const at = fill[entryTerms[entry]!]!++;
    postingDocs[at] = entryDocs[entry]!;
    postingFrequencies[at] = entryFrequencies[entry]!;
  }

  const total = documents.length;
  const scores = new Float64Array(total);
  const touched: number[] = [];
  let vocabulary: string[] | undefined;

  const termIdOf = (term: string): number | undefined => {
    const id = dictionary.idOf(term);
    return id !== undefined && id < termCount && termStart[id + 1]! > termStart[id]! ? id : undefined;
  };

  /** The indexed terms, sorted (built on first use: only prefix matching and `terms()` need it). */
  function sortedVocabulary(): string[] {
    if (!vocabulary) {
      vocabulary = [];
      for (let term = 0; term < termCount; term++)
        if (termStart[term + 1]! > termStart[term]!) vocabulary.push(dictionary.termOf(term));
      vocabulary.sort();
    }
    return vocabulary;
  }

  function prefixMatches(term: string): string[] {
    if (term.length < MIN_PREFIX_LENGTH) return [];
    const words = sortedVocabulary();
    let low = 0;
    let high = words.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (words[middle]! < term) low = middle + 1;
      else high = middle;
    }
    const matches: string[] = [];
    for (let index = low; index < words.length && matches.length < MAX_PREFIX_EXPANSIONS; index++) {
      const word = words[index]!;
      if (!word.startsWith(term)) break;
      if (word !== term) matches.push(word);
    }
    return matches;
  }

  function idfOfId(id: number): number {
    const documentFrequency = termStart[id + 1]! - termStart[id]!;
    return Math.log(1 + (total - documentFrequency + 0.5) / (documentFrequency + 0.5));
  }

  function idf(term: string): number {
    const id = termIdOf(term);
    return id === undefined ? 0 : idfOfId(id);
  }

  function accumulate(term: string, weight: number): void {
    const id = termIdOf(term);
    if (id === undefined) return;
    const scale = weight * idfOfId(id) * (k1 + 1);
    const end = termStart[id + 1]!;
    for (let index = termStart[id]!; index < end; index++) {
      const doc = postingDocs[index]!;
      const termFrequency = postingFrequencies[index]!;
      if (scores[doc] === 0) touched.push(doc);
      scores[doc] = scores[doc]! + (scale * termFrequency) / (termFrequency + k1);
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
      const score = scores[doc]!;
      if (best.length === k && score < best[k - 1]!.score) continue;
      const hit = { id: ids[doc]!, score };
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
    has: (term) => termIdOf(term) !== undefined,
    idf,
    terms: sortedVocabulary,
  };
}
