import type { KeywordHit } from './keyword-index.js';

// Exact nearest neighbours by cosine similarity over one contiguous Float32Array: 10,000 × 256
// dimensions is 10 MB and a full scan takes a few milliseconds, so no approximate index is needed.

export interface VectorIndex {
  readonly size: number;
  readonly dimensions: number;
  /** The `k` most similar vectors to `query`, best first (ties by id); `filter` skips ids. */
  search(query: ArrayLike<number>, k: number, filter?: (id: string) => boolean): KeywordHit[];
}

function normalized(vector: ArrayLike<number>, dimensions: number): Float32Array {
  const copy = new Float32Array(dimensions);
  let norm = 0;
  for (let index = 0; index < dimensions; index++) {
    const value = vector[index] ?? 0;
    copy[index] = value;
    norm += value * value;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let index = 0; index < dimensions; index++) copy[index]! /= norm;
  return copy;
}

/** An index over `vectors` (same length each; normalized here, so any scale works). */
export function createVectorIndex(
  ids: readonly string[],
  vectors: readonly ArrayLike<number>[],
): VectorIndex {
  if (ids.length !== vectors.length)
    throw new RangeError('createVectorIndex: ids and vectors differ in length');
  const dimensions = vectors[0]?.length ?? 0;
  const matrix = new Float32Array(ids.length * dimensions);
  vectors.forEach((vector, row) => {
    if (vector.length !== dimensions) {
      throw new RangeError(
        `createVectorIndex: vector ${row} has ${vector.length} dimensions, expected ${dimensions}`,
      );
    }
    matrix.set(normalized(vector, dimensions), row * dimensions);
  });
  return createVectorIndexFromMatrix(ids, matrix, dimensions);
}

/** An index over `matrix` (`ids.length` rows of `dimensions` values, already unit length or zero); not copied. */
export function createVectorIndexFromMatrix(
  ids: readonly string[],
  matrix: Float32Array,
  dimensions: number,
): VectorIndex {
  if (matrix.length !== ids.length * dimensions)
    throw new RangeError('createVectorIndexFromMatrix: the matrix does not have one row per id');
  const scores = new Float64Array(ids.length);

  /** Every row's dot product with `q`: one tight loop, four independent sums (no dependency chain). */
  function scoreAll(q: Float32Array): void {
    const rows = ids.length;
    const unrolled = dimensions - (dimensions % 4);
    for (let row = 0, offset = 0; row < rows; row++, offset += dimensions) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let index = 0;
      for (; index < unrolled; index += 4) {
        s0 += matrix[offset + index]! * q[index]!;
        s1 += matrix[offset + index + 1]! * q[index + 1]!;
        s2 += matrix[offset + index + 2]! * q[index + 2]!;
        s3 += matrix[offset + index + 3]! * q[index + 3]!;
      }
      for (; index < dimensions; index++) s0 += matrix[offset + index]! * q[index]!;
      scores[row] = s0 + s1 + s2 + s3;
    }
  }

  function search(query: ArrayLike<number>, k: number, filter?: (id: string) => boolean): KeywordHit[] {
    if (k <= 0 || ids.length === 0 || query.length !== dimensions) return [];
    scoreAll(normalized(query, dimensions));
    const best: KeywordHit[] = [];
    let floor = Number.NEGATIVE_INFINITY;
    for (let row = 0; row < ids.length; row++) {
      const score = scores[row]!;
      if (best.length === k && score <= floor) continue;
      const id = ids[row]!;
      if (filter && !filter(id)) continue;
      let position = best.length;
      while (
        position > 0 &&
        (best[position - 1]!.score < score ||
          (best[position - 1]!.score === score && best[position - 1]!.id > id))
      )
        position--;
      best.splice(position, 0, { id, score });
      if (best.length > k) best.pop();
      if (best.length === k) floor = best[k - 1]!.score;
    }
    return best;
  }

  return { size: ids.length, dimensions, search };
}
