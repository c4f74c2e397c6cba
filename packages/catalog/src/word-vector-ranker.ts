import type { KeywordHit, KeywordIndex, WeightedTerm } from './keyword-index.js';
import type { SearchField, SearchFields } from './search-documents.js';
import { contentWords } from './tokenize.js';
import { createVectorIndex, type VectorIndex } from './vector-index.js';
import type { WordVectors } from './word-vectors.js';

// The semantic signal of the built-in model: a function's vector is the weighted mean of its words'
// vectors (names and summary count most), a request's the weighted mean of its words'. The same
// vectors expand a request with the catalog's own words that are nearest to its words, so that a
// request word the catalog never uses still finds its nearest catalog words by keyword.

export interface WordVectorRankerOptions {
  /** Weight of each field's words in a function's vector. */
  fieldWeights?: Partial<Record<SearchField, number>>;
  /** Catalog words at least this similar to a request word join the keyword query (default 0.6). */
  expansionThreshold?: number;
  /** At most this many catalog words per request word (default 3). */
  expansionsPerWord?: number;
  /** An expansion's weight in the keyword query: this × its similarity (default 0.5). */
  expansionWeight?: number;
}

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

export interface RankerDocument {
  id: string;
  fields: SearchFields;
}

export class WordVectorRanker {
  private readonly index: VectorIndex;
  private readonly fieldWeights: Record<SearchField, number>;
  private readonly candidateTerms: string[];
  private readonly candidateVectors: Float32Array;
  private readonly threshold: number;
  private readonly perWord: number;
  private readonly expansionWeight: number;
  private readonly expansions = new Map<string, WeightedTerm[]>();

  constructor(
    private readonly vectors: WordVectors,
    documents: readonly RankerDocument[],
    keywords: KeywordIndex,
    options: WordVectorRankerOptions = {},
  ) {
    this.fieldWeights = { ...DEFAULT_VECTOR_FIELD_WEIGHTS, ...options.fieldWeights };
    this.threshold = options.expansionThreshold ?? 0.6;
    this.perWord = options.expansionsPerWord ?? 3;
    this.expansionWeight = options.expansionWeight ?? 0.5;
    this.index = createVectorIndex(
      documents.map((document) => document.id),
      documents.map((document) => this.documentVector(document.fields)),
    );
    this.candidateTerms = keywords.terms().filter((term) => vectors.has(term));
    const dimensions = vectors.dimensions;
    this.candidateVectors = new Float32Array(this.candidateTerms.length * dimensions);
    for (const [row, term] of this.candidateTerms.entries()) {
      this.candidateVectors.set(vectors.vectorOf(term)!, row * dimensions);
    }
  }

  get size(): number {
    return this.index.size;
  }

  /** Functions by cosine similarity of their vector to the request's. */
  search(query: string, k: number, filter?: (id: string) => boolean): KeywordHit[] {
    const vector = this.textVector([{ text: query, weight: 1 }]);
    return vector ? this.index.search(vector, k, filter) : [];
  }

  /** The catalog's words nearest to each request word, weighted below 1 (the request's own words weigh 1). */
  expandQuery(query: string): WeightedTerm[] {
    return contentWords(query).flatMap((word) => this.neighbours(word));
  }

  private neighbours(word: string): WeightedTerm[] {
    const known = this.expansions.get(word);
    if (known) return known;
    const vector = this.vectors.vectorOf(word);
    const found: WeightedTerm[] = [];
    if (vector) {
      const dimensions = this.vectors.dimensions;
      for (let row = 0; row < this.candidateTerms.length; row++) {
        let dot = 0;
        const offset = row * dimensions;
        for (let index = 0; index < dimensions; index++)
          dot += this.candidateVectors[offset + index]! * vector[index]!;
        const term = this.candidateTerms[row]!;
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

  private documentVector(fields: SearchFields): Float32Array {
    const parts = (Object.keys(fields) as SearchField[]).map((field) => ({
      text: fields[field],
      weight: this.fieldWeights[field],
    }));
    return this.textVector(parts) ?? new Float32Array(this.vectors.dimensions);
  }

  private textVector(parts: readonly { text: string; weight: number }[]): Float32Array | undefined {
    const sum = new Float32Array(this.vectors.dimensions);
    let any = false;
    for (const { text, weight } of parts) {
      if (weight === 0 || text === '') continue;
      for (const word of new Set(contentWords(text))) {
        const vector = this.vectors.vectorOf(word);
        if (!vector) continue;
        const scale = weight * this.vectors.weightOf(word)!;
        for (let index = 0; index < sum.length; index++) sum[index]! += scale * vector[index]!;
        any = true;
      }
    }
    return any ? sum : undefined;
  }
}
