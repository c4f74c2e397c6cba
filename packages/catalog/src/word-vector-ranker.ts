import type { KeywordHit, KeywordIndex, WeightedTerm } from './keyword-index.js';
import type { SearchField } from './search-documents.js';
import { contentWords } from './tokenize.js';
import { createVectorIndexFromMatrix, type VectorIndex } from './vector-index.js';
import type { WordVectors } from './word-vectors.js';

// The semantic signal of the built-in model: a function's vector is the weighted mean of its words'
// vectors (names and summary count most; computed once per group, see group-search-part.ts), a
// request's the weighted mean of its words'. The same vectors expand a request with the catalog's
// own words that are nearest to its words, so that a request word the catalog never uses still
// finds its nearest catalog words by keyword.

export interface WordVectorRankerOptions {
  /** Catalog words at least this similar to a request word join the keyword query (default 0.6). */
  expansionThreshold?: number;
  /** At most this many catalog words per request word (default 3). */
  expansionsPerWord?: number;
  /** An expansion's weight in the keyword query: this × its similarity (default 0: no expansion). */
  expansionWeight?: number;
}

/**
 * Query expansion is off by default: on pseudo-requests from held-out public APIs every weight
 * above 0 ranked worse (fit-ranking.ts); it stays available as `ranking.expansionWeight`.
 */
export const DEFAULT_EXPANSION_WEIGHT = 0;

export const DEFAULT_VECTOR_FIELD_WEIGHTS: Readonly<Record<SearchField, number>> = {
  name: 2,
  action: 1,
  path: 1,
  summary: 1,
  description: 0.3,
  tags: 0.5,
  parameters: 0.2,
  group: 0,
};

export class WordVectorRanker {
  private readonly index: VectorIndex;
  private candidates: { terms: string[]; vectors: Float32Array } | undefined;
  private readonly threshold: number;
  private readonly perWord: number;
  private readonly expansionWeight: number;
  private readonly expansions = new Map<string, WeightedTerm[]>();

  /** `matrix`: one unit-length document vector per id (see group-search-part.ts). */
  constructor(
    private readonly vectors: WordVectors,
    ids: readonly string[],
    matrix: Float32Array,
    private readonly keywords: KeywordIndex,
    options: WordVectorRankerOptions = {},
  ) {
    this.threshold = options.expansionThreshold ?? 0.6;
    this.perWord = options.expansionsPerWord ?? 3;
    this.expansionWeight = options.expansionWeight ?? DEFAULT_EXPANSION_WEIGHT;
    this.index = createVectorIndexFromMatrix(ids, matrix, vectors.dimensions);
  }

  get size(): number {
    return this.index.size;
  }

  /** Builds what query expansion needs (else built by the first search). */
  warmUp(): void {
    if (this.expansionWeight > 0) this.candidateTerms();
  }

  /** Functions by cosine similarity of their vector to the request's. */
  search(query: string, k: number, filter?: (id: string) => boolean): KeywordHit[] {
    const vector = this.queryVector(query);
    return vector ? this.index.search(vector, k, filter) : [];
  }

  /** The catalog's words nearest to each request word, weighted below 1 (the request's own words weigh 1). */
  expandQuery(query: string): WeightedTerm[] {
    if (this.expansionWeight === 0) return [];
    return contentWords(query).flatMap((word) => this.neighbours(word));
  }

  /** The catalog's words that have vectors, as one matrix (built on the first expansion). */
  private candidateTerms(): { terms: string[]; vectors: Float32Array } {
    if (!this.candidates) {
      const terms = this.keywords.terms().filter((term) => this.vectors.has(term));
      const dimensions = this.vectors.dimensions;
      const vectors = new Float32Array(terms.length * dimensions);
      for (const [row, term] of terms.entries()) vectors.set(this.vectors.vectorOf(term)!, row * dimensions);
      this.candidates = { terms, vectors };
    }
    return this.candidates;
  }

  private neighbours(word: string): WeightedTerm[] {
    const known = this.expansions.get(word);
    if (known) return known;
    const vector = this.vectors.vectorOf(word);
    const found: WeightedTerm[] = [];
    if (vector) {
      const { terms, vectors } = this.candidateTerms();
      const dimensions = this.vectors.dimensions;
      for (let row = 0; row < terms.length; row++) {
        let dot = 0;
        const offset = row * dimensions;
        for (let index = 0; index < dimensions; index++) dot += vectors[offset + index]! * vector[index]!;
        const term = terms[row]!;
        if (dot >= this.threshold && term !== word) found.push({ term, weight: dot });
      }
      found.sort((a, b) => b.weight - a.weight);
      found.length = Math.min(found.length, this.perWord);
      for (const term of found) term.weight *= this.expansionWeight;
    }
    if (this.expansions.size >= 4096) this.expansions.clear();
    this.expansions.set(word, found);
    return found;
  }

  private queryVector(query: string): Float32Array | undefined {
    const sum = new Float32Array(this.vectors.dimensions);
    let any = false;
    for (const word of new Set(contentWords(query))) {
      const row = this.vectors.rowOf(word);
      if (row === undefined) continue;
      const vector = this.vectors.rowVector(row);
      const scale = this.vectors.rowWeight(row);
      for (let index = 0; index < sum.length; index++) sum[index]! += scale * vector[index]!;
      any = true;
    }
    return any ? sum : undefined;
  }
}
