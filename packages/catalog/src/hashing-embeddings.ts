import type { EmbeddingsLike } from '@agent-tool-protocol/protocol';
import { conceptsOf } from './concepts.js';
import { tokenize } from './tokenize.js';

export interface HashingEmbeddingsOptions {
  /** Vector length (default 256). */
  dimensions?: number;
  /** Weight of a word's concept features (synonyms, see concepts.ts) relative to the word itself. */
  conceptWeight?: number;
  /** Total weight of a word's character trigrams (they catch `repos`/`repository`, `rerun`/`re-run`). */
  trigramWeight?: number;
}

// English function words carry no meaning for matching a request to a function; the keyword
// index drops a short list, the embedder a longer one (its vectors have no IDF to discount them).
const FILLER_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below ' +
    'between both but by can could did do doe doing down during each either else ever few for from further ' +
    'had ha have having he her here hers him his how i if in into is it its itself just may me might more most ' +
    'must my myself need no nor not now of off on once only or other our ours out over own per same shall she ' +
    'should so some such than that the their theirs them then there these they this those through thu to too ' +
    'under until up upon us use used using very via wa want we were what when where whether while who whom ' +
    'why will with within without would you your yours'
  ).split(' '),
);

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
 * A deterministic, offline embedding model for tests, evaluations and air-gapped servers: feature
 * hashing of words, their synonym concepts and character trigrams into a fixed-size, L2-normalized
 * vector. It knows no language beyond its small lexicon: a real model (any LangChain `Embeddings`)
 * ranks better; this one is the floor that works everywhere and costs microseconds.
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
    this.modelId = `atp-hashing-v1-d${this.dimensions}-c${this.conceptWeight}-t${this.trigramWeight}`;
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
    for (const word of tokenize(text)) {
      if (FILLER_WORDS.has(word)) continue;
      add(`w:${word}`, 1);
      for (const concept of conceptsOf(word)) add(`c:${concept}`, this.conceptWeight);
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
