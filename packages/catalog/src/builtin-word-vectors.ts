import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WordVectors } from './word-vectors.js';

// The word vectors shipped in this package (model/api-word-vectors.bin, ~1 MB): trained on public
// API descriptions (see docs/discovery.md and packages/embeddings-training). Read once, on first use.

export const BUILTIN_WORD_VECTORS_FILE = 'api-word-vectors.bin';

/** `model/` next to `dist/` (the built package) or `src/` (tests run the sources). */
export function builtinWordVectorsPath(): string {
  return join(__dirname, '..', 'model', BUILTIN_WORD_VECTORS_FILE);
}

let loaded: { vectors: WordVectors; loadMs: number } | undefined;

/** The built-in word vectors, loaded on first call (then shared by every catalog of the process). */
export function builtinWordVectors(): WordVectors {
  if (!loaded) {
    const started = performance.now();
    const vectors = new WordVectors(readFileSync(builtinWordVectorsPath()));
    loaded = { vectors, loadMs: performance.now() - started };
  }
  return loaded.vectors;
}

/** Milliseconds the built-in vectors took to load; undefined before they are used. */
export function builtinWordVectorsLoadMs(): number | undefined {
  return loaded?.loadMs;
}
