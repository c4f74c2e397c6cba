import {
  Catalog,
  HashingEmbeddings as HashingEmbeddingsModel,
  type SearchOptions,
} from '@agent-tool-protocol/catalog';
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import type { APIGroup, EmbeddingsLike, FunctionDef } from '@agent-tool-protocol/protocol';
import { encode } from 'gpt-tokenizer';

/** Tokens of `text` for GPT-4o-class models (gpt-tokenizer's default encoding, o200k_base). */
export function countTokens(text: string): number {
  return encode(text).length;
}

// The discovery evaluation: a catalog of GitHub's REST API (1,200+ operations from @octokit/openapi)
// plus a custom CRM group and an MCP-style filesystem group; recall@5 and MRR of keyword search
// against hybrid search. Used by the catalog's tests and by `pnpm bench`.

export interface EvalQueryLike {
  query: string;
  expected: readonly string[];
  split: 'dev' | 'test';
}

export interface EvalScores {
  queries: number;
  /** Share of queries with an expected function in the top 5. */
  recallAt5: number;
  /** Mean reciprocal rank of the first expected function (0 when not in the top 10). */
  mrr: number;
  misses: string[];
}

const noop = () => undefined;

function fn(name: string, description: string, properties: Record<string, string> = {}): FunctionDef {
  const schemaProperties = Object.fromEntries(
    Object.entries(properties).map(([key, type]) => [key, { type }]),
  );
  return {
    name,
    description,
    inputSchema: {
      type: 'object',
      properties: schemaProperties,
      required: Object.keys(properties).slice(0, 1),
    },
    handler: noop,
  };
}

/** A small CRM, registered in code (`custom`). */
export function crmGroup(): APIGroup {
  return {
    name: 'crm',
    type: 'custom',
    description: 'Customer relationship management: users, deals, notes and emails',
    functions: [
      fn('users.create', 'Create a user', { email: 'string', name: 'string' }),
      fn('users.get', 'Get a user by id', { id: 'string' }),
      fn('users.list', 'List users, optionally filtered by company', { company: 'string' }),
      fn('users.update', 'Update a user', { id: 'string', name: 'string' }),
      fn('users.delete', 'Delete a user', { id: 'string' }),
      fn('deals.create', 'Create a deal for a user', { userId: 'string', amount: 'number' }),
      fn('deals.list', 'List deals', { stage: 'string' }),
      fn('deals.updateStage', 'Update the pipeline stage of a deal', { id: 'string', stage: 'string' }),
      fn('notes.add', 'Add a note to a user or deal', { targetId: 'string', text: 'string' }),
      fn('emails.send', 'Send an email to a user', { userId: 'string', subject: 'string', body: 'string' }),
    ],
  };
}

/** The tools of the reference MCP filesystem server, as the MCP adapter registers them. */
export function filesystemGroup(): APIGroup {
  return {
    name: 'filesystem',
    type: 'mcp',
    description: 'Secure file operations within allowed directories',
    functions: [
      fn('read_file', 'Read the complete contents of a file from the file system', { path: 'string' }),
      fn('read_multiple_files', 'Read the contents of multiple files simultaneously', { paths: 'array' }),
      fn('write_file', 'Create a new file or completely overwrite an existing file with new content', {
        path: 'string',
        content: 'string',
      }),
      fn('edit_file', 'Make line-based edits to a text file', { path: 'string', edits: 'array' }),
      fn('create_directory', 'Create a new directory or ensure a directory exists', { path: 'string' }),
      fn('list_directory', 'Get a detailed listing of all files and directories in a specified path', {
        path: 'string',
      }),
      fn('directory_tree', 'Get a recursive tree view of files and directories as a JSON structure', {
        path: 'string',
      }),
      fn('move_file', 'Move or rename files and directories', { source: 'string', destination: 'string' }),
      fn('search_files', 'Recursively search for files and directories matching a pattern', {
        path: 'string',
        pattern: 'string',
      }),
      fn('get_file_info', 'Retrieve detailed metadata about a file or directory', { path: 'string' }),
      fn('list_allowed_directories', 'Returns the list of directories that this server is allowed to access'),
    ],
  };
}

/** GitHub's OpenAPI document from `@octokit/openapi` (a variable specifier: resolved at run time, from this package). */
export async function loadGithubSpec(): Promise<Record<string, unknown>> {
  const specifier = '@octokit/openapi/generated/api.github.com.json';
  const loaded = (await import(specifier, { with: { type: 'json' } })) as {
    default: Record<string, unknown>;
  };
  return loaded.default;
}

/**
 * GitHub's API as `@agent-tool-protocol/openapi` loads it, with the spec's tag descriptions as
 * namespace descriptions (`metadata.namespaces`) for the compact definitions.
 */
export async function githubGroup(spec: Record<string, unknown>): Promise<APIGroup> {
  const group = await loadOpenAPI({ name: 'github', spec: structuredClone(spec) });
  const tags = (spec.tags ?? []) as { name: string; description?: string }[];
  const namespaces: Record<string, string> = {};
  for (const tag of tags) {
    const name = tag.name.replace(/[-_ ]+([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
    if (tag.description) namespaces[name] = tag.description;
  }
  return { ...group, description: 'GitHub REST API', metadata: { ...group.metadata, namespaces } };
}

/** GitHub, the CRM and the filesystem group; with `embeddings`, the vector index is built before it returns. */
export async function evalCatalog(embeddings?: EmbeddingsLike): Promise<Catalog> {
  const catalog = new Catalog(embeddings ? { semanticSearch: { embeddings } } : {});
  catalog.addGroup(await githubGroup(await loadGithubSpec()));
  catalog.addGroup(crmGroup());
  catalog.addGroup(filesystemGroup());
  if (embeddings && !(await catalog.prepareSemanticSearch()))
    throw new Error('the embedding index did not build');
  return catalog;
}

export type Ranker = (
  query: string,
  options: SearchOptions,
) => Promise<{ apiGroup: string; functionName: string }[]>;

export async function score(rank: Ranker, queries: readonly EvalQueryLike[]): Promise<EvalScores> {
  let found = 0;
  let reciprocal = 0;
  const misses: string[] = [];
  for (const item of queries) {
    const results = await rank(item.query, { maxResults: 10 });
    const paths = results.map((result) => `${result.apiGroup}.${result.functionName}`);
    const position = paths.findIndex((path) => item.expected.includes(path));
    if (position >= 0 && position < 5) found++;
    else misses.push(`${item.query} → ${paths.slice(0, 3).join(', ')}`);
    if (position >= 0) reciprocal += 1 / (position + 1);
  }
  const count = Math.max(1, queries.length);
  return { queries: queries.length, recallAt5: found / count, mrr: reciprocal / count, misses };
}

export interface DiscoveryEvaluation {
  keyword: Record<'all' | 'dev' | 'test', EvalScores>;
  hybrid: Record<'all' | 'dev' | 'test', EvalScores>;
}

/** Keyword and hybrid scores on the whole set and on each half. */
export async function evaluateDiscovery(
  catalog: Catalog,
  queries: readonly EvalQueryLike[],
): Promise<DiscoveryEvaluation> {
  const keywordRank: Ranker = async (query, options) => catalog.search(query, options);
  const hybridRank: Ranker = (query, options) => catalog.searchHybrid(query, options);
  const splits = {
    all: queries,
    dev: queries.filter((item) => item.split === 'dev'),
    test: queries.filter((item) => item.split === 'test'),
  };
  const run = async (rank: Ranker) => ({
    all: await score(rank, splits.all),
    dev: await score(rank, splits.dev),
    test: await score(rank, splits.test),
  });
  return { keyword: await run(keywordRank), hybrid: await run(hybridRank) };
}

export interface DiscoveryMeasurements {
  evaluation: DiscoveryEvaluation;
  queries: number;
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

/** Everything `pnpm bench` reports about discovery (bench/src/suites/discovery.ts). */
export async function measureDiscovery(
  queries: readonly EvalQueryLike[],
  options: { copies: number; iterations: number },
): Promise<DiscoveryMeasurements> {
  const embeddings = new HashingEmbeddingsModel();
  const github = await githubGroup(await loadGithubSpec());
  const catalog = new Catalog({ semanticSearch: { embeddings } });
  for (const group of [github, crmGroup(), filesystemGroup()]) catalog.addGroup(group);
  await catalog.prepareSemanticSearch();
  const evaluation = await evaluateDiscovery(catalog, queries);

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
  const query = () => queries[next++ % queries.length]!.query;
  return {
    evaluation,
    queries: queries.length,
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
