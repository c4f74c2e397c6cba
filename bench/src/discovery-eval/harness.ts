import { HashingEmbeddings } from '@agent-tool-protocol/catalog';
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import type { APIGroup, EmbeddingsLike, SearchResponse } from '@agent-tool-protocol/protocol';
import { type AtpEngine, createEngine } from '@agent-tool-protocol/server';
import { encode } from 'gpt-tokenizer';
import { firstRank, type Metrics, summarize, type TaskOutcome } from './metrics.ts';
import { EVAL_SPECS, type EvalSpec, type EvalSpecName, type LoadedSpec, loadSpec } from './specs.ts';
import type { Split } from './split.ts';
import type { DiscoveryTask } from './tasks.ts';

// Runs the discovery evaluation through the server's own code path: each spec is loaded with
// `loadOpenAPI` (as the gateway does), registered on an `AtpEngine`, and every task is asked as
// `POST /api/search` asks it: `engine.searchHybrid({ query, maxResults: 10 })`.

/** Tokens of `text` for GPT-4o-class models (gpt-tokenizer's default encoding, o200k_base). */
export function countTokens(text: string): number {
  return encode(text).length;
}

/** Anything that embeds texts: LangChain's `Embeddings` shape, or a plain batch function. */
export type EmbeddingProviderLike = EmbeddingsLike | ((texts: string[]) => Promise<number[][]>);

export function toEmbeddings(provider: EmbeddingProviderLike): EmbeddingsLike {
  if (typeof provider !== 'function') return provider;
  return {
    embedDocuments: (texts) => provider(texts),
    embedQuery: async (text) => (await provider([text]))[0]!,
  };
}

export interface EvalConfiguration {
  /** Row label: `bm25`, `default`, `default+<provider>`. */
  name: string;
  description: string;
  /** Keyword-only `engine.search`, or `engine.searchHybrid` (what `/api/search` calls). */
  method: 'search' | 'searchHybrid';
  embeddings?: EmbeddingsLike;
}

/**
 * BM25, the server's default (no embeddings provider) and the default plus `provider` (the
 * catalog's offline `HashingEmbeddings` unless given; `null` for none).
 */
export function standardConfigurations(
  provider: { name: string; embeddings: EmbeddingProviderLike } | null = {
    name: 'HashingEmbeddings',
    embeddings: new HashingEmbeddings(),
  },
): EvalConfiguration[] {
  const configurations: EvalConfiguration[] = [
    { name: 'bm25', description: 'keyword only: engine.search (BM25)', method: 'search' },
    {
      name: 'default',
      description:
        '/api/search with no discovery.embeddings configured (BM25F + the built-in API word vectors)',
      method: 'searchHybrid',
    },
  ];
  if (provider) {
    configurations.push({
      name: `default+${provider.name}`,
      description: `/api/search with discovery.embeddings = ${provider.name}, index built before querying`,
      method: 'searchHybrid',
      embeddings: toEmbeddings(provider.embeddings),
    });
  }
  return configurations;
}

export interface SpecCatalog {
  loaded: LoadedSpec;
  group: APIGroup;
  /** `github.issues.create` → `issues/create`. */
  operationIdOf: Map<string, string>;
  /** `issues/create` → `github.issues.create`. */
  pathOf: Map<string, string>;
}

/** Loads one spec as the server's gateway does (`loadOpenAPI({ name, path })`). */
export async function loadSpecCatalog(spec: EvalSpec): Promise<SpecCatalog> {
  const loaded = loadSpec(spec);
  const group = await loadOpenAPI({ name: spec.name, path: loaded.path });
  const operationIdOf = new Map<string, string>();
  const pathOf = new Map<string, string>();
  for (const fn of group.functions) {
    const operationId = fn.metadata?.operationId;
    if (typeof operationId !== 'string') continue;
    operationIdOf.set(`${group.name}.${fn.name}`, operationId);
    pathOf.set(operationId, `${group.name}.${fn.name}`);
  }
  return { loaded, group, operationIdOf, pathOf };
}

/** An engine with one group, searching the way `/api/search` does. */
export interface SpecSearcher {
  search(query: string): Promise<SearchResponse>;
  close(): Promise<void>;
}

export async function createSearcher(
  group: APIGroup,
  configuration: EvalConfiguration,
): Promise<SpecSearcher> {
  const engine: AtpEngine = createEngine({
    logger: { level: 'silent' },
    execution: { isolatePoolSize: 0 },
    ...(configuration.embeddings ? { discovery: { embeddings: configuration.embeddings } } : {}),
  });
  engine.addAPIGroup(group);
  // A server starts building its vector index at start (warmUp) and answers with BM25 until it is
  // ready; the evaluation waits for it, whatever the default's semantic signal is.
  if (configuration.method === 'searchHybrid') {
    const ready = await engine.catalog.prepareSemanticSearch();
    if (configuration.embeddings && !ready)
      throw new Error(`${configuration.name}: the embedding index did not build`);
  }
  const body = (query: string) => ({ query, maxResults: 10 });
  return {
    search: async (query) =>
      configuration.method === 'search' ? engine.search(body(query)) : engine.searchHybrid(body(query)),
    close: () => engine.shutdown(0),
  };
}

export interface TaskResult {
  task: DiscoveryTask;
  outcome: TaskOutcome;
  /** operationIds of the returned page, in order (the function path when an operation has none). */
  returned: string[];
}

/** Ranks of the acceptable operations in each response, and the response's tokens. */
export function scoreResponse(
  task: DiscoveryTask,
  response: { results: readonly { apiGroup: string; functionName: string }[] },
  operationIdOf: (path: string) => string | undefined,
): TaskResult {
  const returned = response.results.map((result) => {
    const path = `${result.apiGroup}.${result.functionName}`;
    return operationIdOf(path) ?? path;
  });
  return {
    task,
    returned,
    outcome: { rank: firstRank(returned, task.expected), tokens: countTokens(JSON.stringify(response)) },
  };
}

export type Half = 'all' | Split;
export type SpecMetrics = Record<Half, Metrics>;

export interface ConfigurationReport {
  configuration: string;
  description: string;
  bySpec: Record<string, SpecMetrics>;
  /** All specs together, per half. */
  overall: SpecMetrics;
  results: TaskResult[];
  /** Caveats of this run (printed under the table). */
  notes?: string[];
}

export function halves(results: readonly TaskResult[]): SpecMetrics {
  const of = (split?: Split) =>
    summarize(results.filter((r) => split === undefined || r.task.split === split).map((r) => r.outcome));
  return { all: of(), dev: of('dev'), test: of('test') };
}

export function report(
  configuration: string,
  description: string,
  results: TaskResult[],
): ConfigurationReport {
  const bySpec: Record<string, SpecMetrics> = {};
  for (const spec of new Set(results.map((r) => r.task.spec))) {
    bySpec[spec] = halves(results.filter((r) => r.task.spec === spec));
  }
  return { configuration, description, bySpec, overall: halves(results), results };
}

/** Asks every task of `tasks` through `searcher` and scores the responses. */
export async function evaluateTasks(
  searcher: Pick<SpecSearcher, 'search'>,
  tasks: readonly DiscoveryTask[],
  operationIdOf: (path: string) => string | undefined,
): Promise<TaskResult[]> {
  const results: TaskResult[] = [];
  for (const task of tasks)
    results.push(scoreResponse(task, await searcher.search(task.query), operationIdOf));
  return results;
}

export interface EvalRunOptions {
  tasks: readonly DiscoveryTask[];
  configurations?: EvalConfiguration[];
  specs?: readonly EvalSpecName[];
}

/** Every configuration over every spec's tasks. */
export async function runDiscoveryEval(options: EvalRunOptions): Promise<ConfigurationReport[]> {
  const configurations = options.configurations ?? standardConfigurations();
  const wanted = new Set(options.specs ?? options.tasks.map((task) => task.spec));
  const catalogs: SpecCatalog[] = [];
  for (const spec of EVAL_SPECS) if (wanted.has(spec.name)) catalogs.push(await loadSpecCatalog(spec));
  const reports: ConfigurationReport[] = [];
  for (const configuration of configurations) {
    const results: TaskResult[] = [];
    for (const catalog of catalogs) {
      const searcher = await createSearcher(catalog.group, configuration);
      try {
        const own = options.tasks.filter((task) => task.spec === catalog.loaded.spec.name);
        results.push(...(await evaluateTasks(searcher, own, (path) => catalog.operationIdOf.get(path))));
      } finally {
        await searcher.close();
      }
    }
    reports.push(report(configuration.name, configuration.description, results));
  }
  return reports;
}
