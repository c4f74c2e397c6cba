// Word vectors in one binary file: a vocabulary, a weight per word and int8 vectors.
//
//   "ATPV" | u32 version (1) | u32 dimensions | u32 words | u32 vocabulary bytes
//   | vocabulary: UTF-8 words joined by "\n", zero-padded to a multiple of 4 bytes
//   | f32[words] weights | i8[words × dimensions] vectors (each scaled so its largest |value| is 127)

const MAGIC = 'ATPV';
const VERSION = 1;
const HEADER_BYTES = 20;

export interface WordVectorsData {
  words: readonly string[];
  /** How much a word counts in a text's vector (rare words more): e.g. smooth inverse frequency. */
  weights: Float32Array;
  dimensions: number;
  /** `words.length × dimensions` values, row-major, any scale per row (quantized per row). */
  vectors: ArrayLike<number>;
}

/** The file's bytes for `data`. */
export function encodeWordVectors(data: WordVectorsData): Uint8Array {
  const { words, weights, dimensions, vectors } = data;
  if (words.some((word) => word.includes('\n') || word === ''))
    throw new RangeError('encodeWordVectors: words must be non-empty and contain no newline');
  if (weights.length !== words.length || vectors.length !== words.length * dimensions)
    throw new RangeError('encodeWordVectors: weights or vectors do not match the vocabulary');
  const vocabulary = new TextEncoder().encode(words.join('\n'));
  const vocabularyBytes = Math.ceil(vocabulary.length / 4) * 4;
  const size = HEADER_BYTES + vocabularyBytes + words.length * 4 + words.length * dimensions;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, dimensions, true);
  view.setUint32(12, words.length, true);
  view.setUint32(16, vocabulary.length, true);
  bytes.set(vocabulary, HEADER_BYTES);
  let offset = HEADER_BYTES + vocabularyBytes;
  for (const weight of weights) {
    view.setFloat32(offset, weight, true);
    offset += 4;
  }
  const quantized = new Int8Array(bytes.buffer, offset, words.length * dimensions);
  for (let row = 0; row < words.length; row++) {
    let largest = 0;
    for (let column = 0; column < dimensions; column++)
      largest = Math.max(largest, Math.abs(vectors[row * dimensions + column]!));
    const scale = largest > 0 ? 127 / largest : 0;
    for (let column = 0; column < dimensions; column++) {
      quantized[row * dimensions + column] = Math.round(vectors[row * dimensions + column]! * scale);
    }
  }
  return bytes;
}

/** Word vectors read from a file made by `encodeWordVectors`; vectors are unit length. */
export class WordVectors {
  readonly dimensions: number;
  readonly size: number;
  private readonly rows: Map<string, number>;
  private readonly weights: Float32Array;
  private readonly vectors: Float32Array;

  constructor(bytes: Uint8Array) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.byteLength < HEADER_BYTES || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC)
      throw new TypeError('not a word-vectors file (no ATPV header)');
    const version = view.getUint32(4, true);
    if (version !== VERSION) throw new TypeError(`word-vectors file version ${version} is not supported`);
    this.dimensions = view.getUint32(8, true);
    this.size = view.getUint32(12, true);
    const vocabularyLength = view.getUint32(16, true);
    const vocabularyBytes = Math.ceil(vocabularyLength / 4) * 4;
    const expected = HEADER_BYTES + vocabularyBytes + this.size * 4 + this.size * this.dimensions;
    if (bytes.byteLength !== expected)
      throw new TypeError(`word-vectors file has ${bytes.byteLength} bytes, expected ${expected}`);
    const words = new TextDecoder()
      .decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + vocabularyLength))
      .split('\n');
    if (words.length !== this.size) throw new TypeError('word-vectors file: vocabulary size mismatch');
    this.rows = new Map(words.map((word, row) => [word, row]));
    let offset = HEADER_BYTES + vocabularyBytes;
    this.weights = new Float32Array(this.size);
    for (let row = 0; row < this.size; row++, offset += 4) this.weights[row] = view.getFloat32(offset, true);
    // Dequantized once, unit length: scoring then needs no per-row scale (4 bytes per value is
    // fine for a vocabulary of tens of thousands of words).
    const quantized = new Int8Array(bytes.buffer, bytes.byteOffset + offset, this.size * this.dimensions);
    this.vectors = new Float32Array(this.size * this.dimensions);
    for (let row = 0; row < this.size; row++) {
      const start = row * this.dimensions;
      let norm = 0;
      for (let column = 0; column < this.dimensions; column++) norm += quantized[start + column]! ** 2;
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let column = 0; column < this.dimensions; column++)
        this.vectors[start + column] = quantized[start + column]! * scale;
    }
  }

  has(word: string): boolean {
    return this.rows.has(word);
  }

  /** The word's weight, or undefined when it is not in the vocabulary. */
  weightOf(word: string): number | undefined {
    const row = this.rows.get(word);
    return row === undefined ? undefined : this.weights[row];
  }

  /** The word's unit vector (a view: do not modify), or undefined. */
  vectorOf(word: string): Float32Array | undefined {
    const row = this.rows.get(word);
    return row === undefined
      ? undefined
      : this.vectors.subarray(row * this.dimensions, (row + 1) * this.dimensions);
  }

  /** Cosine similarity of two words; 0 when either is unknown. */
  similarity(a: string, b: string): number {
    const left = this.vectorOf(a);
    const right = this.vectorOf(b);
    if (!left || !right) return 0;
    let dot = 0;
    for (let index = 0; index < this.dimensions; index++) dot += left[index]! * right[index]!;
    return dot;
  }
}
