import { Catalog, HashingEmbeddings } from '@agent-tool-protocol/catalog';
import { crmGroup, filesystemGroup, githubGroup, loadGithubSpec } from './fixtures.ts';
import { countTokens } from './harness.ts';

// The cost side of discovery for `pnpm bench`: the token size of the first view of the GitHub API,
// and search latency over 10,000+ functions with embeddings precomputed.

export interface DiscoveryCosts {
  githubOperations: number;
  /** Tokens of the compact definitions of the GitHub group, and of its full declarations. */
  compactTokens: number;
  fullTokens: number;
  /** Tokens of `?functions=github.issues.create`. */
  oneFunctionTokens: number;
  /** Functions in the latency catalog (copies of the GitHub group with distinct texts). */
  functions: number;
  embedMs: number;
  keywordMs: number[];
  hybridMs: number[];
}

async function timed(iterations: number, run: () => unknown): Promise<number[]> {
  for (let warmup = 0; warmup < Math.min(20, iterations); warmup++) await run();
  const samples: number[] = [];
  for (let index = 0; index < iterations; index++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** `queries` are cycled through for the latency samples. */
export async function measureDiscoveryCosts(
  queries: readonly string[],
  options: { copies: number; iterations: number },
): Promise<DiscoveryCosts> {
  const embeddings = new HashingEmbeddings();
  const github = await githubGroup(await loadGithubSpec());
  const catalog = new Catalog();
  for (const group of [github, crmGroup(), filesystemGroup()]) catalog.addGroup(group);

  const big = new Catalog({ semanticSearch: { embeddings } });
  for (let copy = 0; copy < options.copies; copy++) {
    // Distinct texts (so every function is embedded and stored), same vocabulary.
    const functions = github.functions.map((fn) => ({
      ...fn,
      description: `(copy ${copy}) ${fn.description ?? ''}`,
    }));
    big.addGroup({ ...github, name: `github${copy}`, functions });
  }
  const started = performance.now();
  await big.prepareSemanticSearch();
  const embedMs = performance.now() - started;
  let next = 0;
  const query = () => queries[next++ % queries.length]!;
  return {
    githubOperations: github.functions.length,
    compactTokens: countTokens(
      catalog.getDefinitions({ apiGroups: ['github'], detail: 'compact' }).typescript,
    ),
    fullTokens: countTokens(catalog.getDefinitions({ apiGroups: ['github'] }).typescript),
    oneFunctionTokens: countTokens(
      catalog.getDefinitions({ functions: ['github.issues.create'] }).typescript,
    ),
    functions: big.listGroups().reduce((sum, group) => sum + group.functionCount, 0),
    embedMs,
    keywordMs: await timed(options.iterations, () => big.search(query(), { maxResults: 10 })),
    hybridMs: await timed(options.iterations, () => big.searchHybrid(query(), { maxResults: 10 })),
  };
}
