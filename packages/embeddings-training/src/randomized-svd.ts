import { EigenvalueDecomposition, Matrix, QrDecomposition } from 'ml-matrix';
import type { SparseMatrix } from './cooccurrence.ts';

// Truncated SVD of a sparse symmetric matrix by randomized range finding (Halko, Martinsson and
// Tropp 2011): the sparse products are done here, the small dense factorizations (QR, symmetric
// eigendecomposition) by ml-matrix.

export interface TruncatedSvd {
  /** Left singular vectors, `size` rows × `rank` columns, row-major. */
  vectors: Float64Array;
  singularValues: Float64Array;
  rank: number;
}

/** A seeded generator, so that training is reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** `matrix` × `dense` (size × width, as an ml-matrix Matrix). */
function multiply(matrix: SparseMatrix, dense: Matrix): Matrix {
  const width = dense.columns;
  const result = new Matrix(matrix.size, width);
  const rows = dense.to2DArray();
  for (let row = 0; row < matrix.size; row++) {
    const target = new Float64Array(width);
    for (let k = matrix.rowStart[row]!; k < matrix.rowStart[row + 1]!; k++) {
      const value = matrix.values[k]!;
      const source = rows[matrix.columns[k]!]!;
      for (let column = 0; column < width; column++) target[column]! += value * source[column]!;
    }
    result.setRow(row, Array.from(target));
  }
  return result;
}

function orthonormal(matrix: Matrix): Matrix {
  return new QrDecomposition(matrix).orthogonalMatrix.subMatrix(0, matrix.rows - 1, 0, matrix.columns - 1);
}

export function randomizedSvd(
  matrix: SparseMatrix,
  rank: number,
  options: { oversampling?: number; powerIterations?: number; seed?: number } = {},
): TruncatedSvd {
  const width = Math.min(matrix.size, rank + (options.oversampling ?? 16));
  const random = seededRandom(options.seed ?? 1);
  const omega = new Matrix(matrix.size, width);
  for (let row = 0; row < matrix.size; row++) {
    for (let column = 0; column < width; column++) omega.set(row, column, gaussian(random));
  }
  let basis = orthonormal(multiply(matrix, omega));
  for (let iteration = 0; iteration < (options.powerIterations ?? 3); iteration++) {
    // The matrix is symmetric: Mᵀ Q = M Q.
    basis = orthonormal(multiply(matrix, basis));
  }
  // B = Qᵀ M (width × size); B Bᵀ = (M Q)ᵀ (M Q) = V Σ² Vᵀ gives the singular values, and U = Q V.
  const projected = multiply(matrix, basis);
  const gram = projected.transpose().mmul(projected);
  const eigen = new EigenvalueDecomposition(gram, { assumeSymmetric: true });
  const order = eigen.realEigenvalues
    .map((value, index) => ({ value, index }))
    .sort((a, b) => b.value - a.value)
    .slice(0, rank);
  const eigenvectors = eigen.eigenvectorMatrix;
  const left = basis.mmul(new Matrix(order.map(({ index }) => eigenvectors.getColumn(index))).transpose());
  const vectors = new Float64Array(matrix.size * rank);
  for (let row = 0; row < matrix.size; row++) {
    for (let column = 0; column < rank; column++) vectors[row * rank + column] = left.get(row, column);
  }
  return {
    vectors,
    singularValues: Float64Array.from(order, ({ value }) => Math.sqrt(Math.max(0, value))),
    rank,
  };
}
