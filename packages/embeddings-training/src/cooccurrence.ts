import type { TrainingDocument } from './read-corpus.ts';

// Word co-occurrence counts over the training operations, and their positive pointwise mutual
// information (PPMI) as a sparse symmetric matrix.

export interface Vocabulary {
  words: string[];
  index: Map<string, number>;
  /** Occurrences of each word in the corpus. */
  counts: Float64Array;
}

export interface VocabularyOptions {
  minCount: number;
  /** A word must occur in this many providers' APIs: one API's own jargon is noise. */
  minProviders: number;
  maxWords: number;
}

function allWords(document: TrainingDocument): string[] {
  return [...document.words.head, ...document.words.summary, ...document.words.body];
}

export function buildVocabulary(
  documents: readonly TrainingDocument[],
  options: VocabularyOptions,
): Vocabulary {
  const counts = new Map<string, number>();
  const providers = new Map<string, Set<string>>();
  for (const document of documents) {
    for (const word of allWords(document)) {
      counts.set(word, (counts.get(word) ?? 0) + 1);
      const seen = providers.get(word) ?? new Set<string>();
      seen.add(document.provider);
      providers.set(word, seen);
    }
  }
  const words = [...counts]
    .filter(([word, count]) => count >= options.minCount && providers.get(word)!.size >= options.minProviders)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxWords)
    .map(([word]) => word);
  return {
    words,
    index: new Map(words.map((word, position) => [word, position])),
    counts: Float64Array.from(words, (word) => counts.get(word)!),
  };
}

export interface CooccurrenceOptions {
  /** Words this far apart (or closer) in an operation's word sequence co-occur. */
  window: number;
  /** `harmonic`: a pair counts 1 / distance; `uniform`: 1 (topical rather than syntactic neighbours). */
  weighting: 'harmonic' | 'uniform';
  /** Each name word co-occurs with each summary word with this weight (what the operation does). */
  headSummaryWeight: number;
  /** Weight of each document: 1, or damped for providers with many operations. */
  documentWeight: (document: TrainingDocument) => number;
}

/** Symmetric sparse matrix in compressed rows. */
export interface SparseMatrix {
  size: number;
  rowStart: Int32Array;
  columns: Int32Array;
  values: Float32Array;
}

export function countCooccurrences(
  documents: readonly TrainingDocument[],
  vocabulary: Vocabulary,
  options: CooccurrenceOptions,
): Float32Array {
  const size = vocabulary.words.length;
  const counts = new Float32Array(size * size);
  const add = (a: number, b: number, weight: number) => {
    if (a === b) return;
    counts[a * size + b]! += weight;
    counts[b * size + a]! += weight;
  };
  const ids = (words: readonly string[]) =>
    words.map((word) => vocabulary.index.get(word)).filter((id): id is number => id !== undefined);
  for (const document of documents) {
    const weight = options.documentWeight(document);
    const head = ids(document.words.head);
    const summary = ids(document.words.summary);
    const sequence = [...head, ...summary, ...ids(document.words.body)];
    for (let i = 0; i < sequence.length; i++) {
      for (let d = 1; d <= options.window && i + d < sequence.length; d++) {
        add(sequence[i]!, sequence[i + d]!, options.weighting === 'uniform' ? weight : weight / d);
      }
    }
    if (options.headSummaryWeight > 0) {
      for (const a of head) for (const b of summary) add(a, b, weight * options.headSummaryWeight);
    }
  }
  return counts;
}

/**
 * PPMI with context-distribution smoothing (context counts raised to `alpha`, Levy et al. 2015):
 * max(0, log(p(w,c) / (p(w) p_alpha(c)))), symmetrized, kept sparse.
 */
export function ppmi(counts: Float32Array, size: number, alpha: number): SparseMatrix {
  const rowSums = new Float64Array(size);
  for (let row = 0; row < size; row++) {
    let sum = 0;
    for (let column = 0; column < size; column++) sum += counts[row * size + column]!;
    rowSums[row] = sum;
  }
  const smoothed = Float64Array.from(rowSums, (sum) => sum ** alpha);
  const smoothedTotal = smoothed.reduce((a, b) => a + b, 0);
  const rowStart = new Int32Array(size + 1);
  const columns: number[] = [];
  const values: number[] = [];
  for (let row = 0; row < size; row++) {
    rowStart[row] = columns.length;
    if (rowSums[row] === 0) continue;
    for (let column = 0; column < size; column++) {
      const count = counts[row * size + column]!;
      if (count <= 0 || rowSums[column] === 0) continue;
      // Symmetric: average the two directions' smoothed PMI.
      const forward = Math.log((count * smoothedTotal) / (rowSums[row]! * smoothed[column]!));
      const backward = Math.log((count * smoothedTotal) / (rowSums[column]! * smoothed[row]!));
      const value = (forward + backward) / 2;
      if (value > 0) {
        columns.push(column);
        values.push(value);
      }
    }
  }
  rowStart[size] = columns.length;
  return { size, rowStart, columns: Int32Array.from(columns), values: Float32Array.from(values) };
}
