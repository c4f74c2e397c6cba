import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Catalog, HashingEmbeddings, WordVectors } from '@agent-tool-protocol/catalog';
import type { APIGroup } from '@agent-tool-protocol/protocol';
import { crmGroup, filesystemGroup, githubGroup, loadGithubSpec } from './fixtures.ts';
import { countTokens } from './harness.ts';

// The cost side of discovery for `pnpm bench`: the token size of the first view of the GitHub API,
// building the search indexes of 10,000 functions, loading the built-in word vectors, and search
// latency over them (the default ranking, and with an embeddings provider).

export interface DiscoveryCosts {
  githubOperations: number;
  /** Tokens of the compact definitions of the GitHub group, and of its full declarations. */
  compactTokens: number;
  fullTokens: number;
  /** Tokens of `?functions=github.issues.create`. */
  oneFunctionTokens: number;
  /** Functions in the latency catalogs (copies of the GitHub group with distinct texts). */
  functions: number;
  /** Reading and decoding the built-in word vectors file. */
  modelLoadMs: number;
  /** Building the default ranking's indexes in the background (`prepareSemanticSearch`), wall and CPU. */
  indexBuildMs: number;
  indexBuildCpuMs: number;
  /** The longest the event loop was blocked while that build ran. */
  indexBuildMaxBlockMs: number;
  /** Heap and array buffers the built indexes hold (after gc; NaN without --expose-gc). */
  indexMemoryMb: number;
  embedMs: number;
  keywordMs: number[];
  /** `/api/search` with no provider (the default ranking). */
  defaultMs: number[];
  /** CPU time per default search (process.cpuUsage; less sensitive to a busy machine than wall time). */
  defaultCpuMs: number;
  /** `/api/search` with HashingEmbeddings as the provider. */
  hybridMs: number[];
  hybridCpuMs: number;
}

async function timed(iterations: number, run: () => unknown): Promise<{ samples: number[]; cpuMs: number }> {
  for (let warmup = 0; warmup < Math.min(20, iterations); warmup++) await run();
  const samples: number[] = [];
  const cpu = process.cpuUsage();
  for (let index = 0; index < iterations; index++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  const used = process.cpuUsage(cpu);
  return { samples, cpuMs: (used.user + used.system) / 1000 / Math.max(1, iterations) };
}

function copiesOf(github: APIGroup, copies: number): APIGroup[] {
  // Distinct texts (so every function is indexed and embedded on its own), same vocabulary.
  return Array.from({ length: copies }, (_, copy) => ({
    ...github,
    name: `github${copy}`,
    functions: github.functions.map((fn) => ({
      ...fn,
      description: `(copy ${copy}) ${fn.description ?? ''}`,
    })),
  }));
}

function heapMb(): number {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) return Number.NaN;
  collect();
  const usage = process.memoryUsage();
  return (usage.heapUsed + usage.arrayBuffers) / 1e6;
}

function builtinVectorsFile(): string {
  const require = createRequire(import.meta.url);
  return join(
    dirname(require.resolve('@agent-tool-protocol/catalog/package.json')),
    'model',
    'api-word-vectors.bin',
  );
}

/** `queries` are cycled through for the latency samples. */
export async function measureDiscoveryCosts(
  queries: readonly string[],
  options: { copies: number; iterations: number },
): Promise<DiscoveryCosts> {
  const github = await githubGroup(await loadGithubSpec());
  const catalog = new Catalog();
  for (const group of [github, crmGroup(), filesystemGroup()]) catalog.addGroup(group);

  const loadStarted = performance.now();
  new WordVectors(readFileSync(builtinVectorsFile()));
  const modelLoadMs = performance.now() - loadStarted;

  const plain = new Catalog();
  for (const group of copiesOf(github, options.copies)) plain.addGroup(group);
  const heapBefore = heapMb();
  let worstGap = 0;
  let last = performance.now();
  const watch = setInterval(() => {
    const now = performance.now();
    worstGap = Math.max(worstGap, now - last);
    last = now;
  }, 1);
  const buildCpu = process.cpuUsage();
  const buildStarted = performance.now();
  await plain.prepareSemanticSearch();
  const indexBuildMs = performance.now() - buildStarted;
  const buildUsed = process.cpuUsage(buildCpu);
  clearInterval(watch);
  worstGap = Math.max(worstGap, performance.now() - last);
  const indexMemoryMb = heapMb() - heapBefore;

  const withProvider = new Catalog({ semanticSearch: { embeddings: new HashingEmbeddings() } });
  for (const group of copiesOf(github, options.copies)) withProvider.addGroup(group);
  const embedStarted = performance.now();
  await withProvider.prepareSemanticSearch();
  const embedMs = performance.now() - embedStarted;

  let next = 0;
  const query = () => queries[next++ % queries.length]!;
  const keyword = await timed(options.iterations, () => plain.search(query(), { maxResults: 10 }));
  const ranked = await timed(options.iterations, () => plain.searchHybrid(query(), { maxResults: 10 }));
  const hybrid = await timed(options.iterations, () =>
    withProvider.searchHybrid(query(), { maxResults: 10 }),
  );
  return {
    githubOperations: github.functions.length,
    compactTokens: countTokens(
      catalog.getDefinitions({ apiGroups: ['github'], detail: 'compact' }).typescript,
    ),
    fullTokens: countTokens(catalog.getDefinitions({ apiGroups: ['github'] }).typescript),
    oneFunctionTokens: countTokens(
      catalog.getDefinitions({ functions: ['github.issues.create'] }).typescript,
    ),
    functions: plain.listGroups().reduce((sum, group) => sum + group.functionCount, 0),
    modelLoadMs,
    indexBuildMs,
    indexBuildCpuMs: (buildUsed.user + buildUsed.system) / 1000,
    indexBuildMaxBlockMs: worstGap,
    indexMemoryMb,
    embedMs,
    keywordMs: keyword.samples,
    defaultMs: ranked.samples,
    defaultCpuMs: ranked.cpuMs,
    hybridMs: hybrid.samples,
    hybridCpuMs: hybrid.cpuMs,
  };
}
