import type { EmbeddingsLike } from '@agent-tool-protocol/protocol';
import { actionOfVerb } from './operation-intent.js';
import { contentWords } from './tokenize.js';

export interface HashingEmbeddingsOptions {
  /** Vector length (default 256). */
  dimensions?: number;
  /** Weight of the action feature of a CRUD verb (`remove` and `delete` share one; see operation-intent.ts). */
  conceptWeight?: number;
  /** Total weight of a word's character trigrams (they catch `repos`/`repository`, `rerun`/`re-run`). */
  trigramWeight?: number;
}

/** FNV-1a, 32 bits. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

/**
 * A deterministic, offline embedding model for tests and air-gapped setups: feature hashing of
 * words, the CRUD action of verbs (`remove` → delete) and character trigrams into a fixed-size,
 * L2-normalized vector. It knows no synonyms: the catalog's built-in word vectors rank better, and
 * a real model (any LangChain `Embeddings`) better still; this one costs microseconds.
 */
export class HashingEmbeddings implements EmbeddingsLike {
  readonly dimensions: number;
  /** Names the model and its parameters: embeddings cached under another id are not reused. */
  readonly modelId: string;
  private readonly conceptWeight: number;
  private readonly trigramWeight: number;

  constructor(options: HashingEmbeddingsOptions = {}) {
    this.dimensions = Math.max(8, Math.floor(options.dimensions ?? 256));
    this.conceptWeight = options.conceptWeight ?? 1.3;
    this.trigramWeight = options.trigramWeight ?? 0.5;
    this.modelId = `atp-hashing-v2-d${this.dimensions}-c${this.conceptWeight}-t${this.trigramWeight}`;
  }

  async embedQuery(text: string): Promise<number[]> {
    return Array.from(this.embed(text));
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((text) => Array.from(this.embed(text)));
  }

  /** The vector of `text`, synchronously. */
  embed(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    const add = (feature: string, weight: number) => {
      const h = hash(feature);
      vector[h % this.dimensions]! += h & 0x80000000 ? -weight : weight;
    };
    for (const word of contentWords(text)) {
      add(`w:${word}`, 1);
      const action = actionOfVerb(word);
      if (action) add(`a:${action}`, this.conceptWeight);
      const padded = `<${word}>`;
      const trigrams = padded.length - 2;
      for (let index = 0; index < trigrams; index++) {
        add(`g:${padded.slice(index, index + 3)}`, this.trigramWeight / trigrams);
      }
    }
    let norm = 0;
    for (const value of vector) norm += value * value;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let index = 0; index < vector.length; index++) vector[index]! /= norm;
    return vector;
  }
}
