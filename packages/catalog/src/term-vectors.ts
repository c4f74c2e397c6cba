import type { TermDictionary } from './term-dictionary.js';
import { isContentWord } from './tokenize.js';
import type { WordVectors } from './word-vectors.js';

// Word vectors looked up by term id (see TermDictionary), remembered per id: a document's vector
// is then a weighted sum over its term ids with no string lookups.

const UNKNOWN = -1;
const NOT_LOOKED_UP = -2;

export class TermVectors {
  private rows = new Int32Array(0);

  constructor(
    readonly vectors: WordVectors,
    private readonly dictionary: TermDictionary,
  ) {}

  get dimensions(): number {
    return this.vectors.dimensions;
  }

  /** The vector of a term id (unit length), or undefined when the term has none or carries no meaning. */
  vectorOf(term: number): Float32Array | undefined {
    const row = this.rowOf(term);
    return row === UNKNOWN ? undefined : this.vectors.rowVector(row);
  }

  /** The term's weight in a text's vector (smooth inverse frequency); 0 without a vector. */
  weightOf(term: number): number {
    const row = this.rowOf(term);
    return row === UNKNOWN ? 0 : this.vectors.rowWeight(row);
  }

  /**
   * Σ weight(field) × weight(term) × vector(term) over each field's distinct meaningful terms, into
   * `out` (unit length); false (and `out` zero) when no term has a vector.
   */
  textVector(
    fields: readonly ArrayLike<number>[],
    fieldWeights: readonly number[],
    out: Float32Array,
  ): boolean {
    out.fill(0);
    let any = false;
    const dimensions = out.length;
    const matrix = this.vectors.matrix;
    for (let field = 0; field < fields.length; field++) {
      const fieldWeight = fieldWeights[field] ?? 0;
      const terms = fields[field]!;
      if (fieldWeight === 0 || terms.length === 0) continue;
      for (let index = 0; index < terms.length; index++) {
        const term = terms[index]!;
        if (!isFirst(terms, index)) continue;
        const row = this.rowOf(term);
        if (row === UNKNOWN) continue;
        const scale = fieldWeight * this.vectors.rowWeight(row);
        const offset = row * dimensions;
        for (let column = 0; column < dimensions; column++) out[column]! += scale * matrix[offset + column]!;
        any = true;
      }
    }
    if (!any) return false;
    let norm = 0;
    for (let column = 0; column < dimensions; column++) norm += out[column]! * out[column]!;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let column = 0; column < dimensions; column++) out[column]! /= norm;
    return norm > 0;
  }

  private rowOf(term: number): number {
    if (term >= this.rows.length) {
      const grown = new Int32Array(Math.max(this.dictionary.size, term + 1, this.rows.length * 2));
      grown.fill(NOT_LOOKED_UP);
      grown.set(this.rows);
      this.rows = grown;
    }
    let row = this.rows[term]!;
    if (row === NOT_LOOKED_UP) {
      const word = this.dictionary.termOf(term);
      row = isContentWord(word) ? (this.vectors.rowOf(word) ?? UNKNOWN) : UNKNOWN;
      this.rows[term] = row;
    }
    return row;
  }
}

/** Whether `terms[index]` is its first occurrence (fields are short: a linear look back is cheapest). */
function isFirst(terms: ArrayLike<number>, index: number): boolean {
  const term = terms[index];
  for (let before = 0; before < index; before++) if (terms[before] === term) return false;
  return true;
}
