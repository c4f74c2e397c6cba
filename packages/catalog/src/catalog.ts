import {
  type APIGroup,
  type ApiDispatcher,
  DEFAULT_MAX_PAGE_ITEMS,
  type ExploreResponse,
  type ResolvedFunction,
  type SearchResult,
} from '@agent-tool-protocol/protocol';
import { builtinWordVectors } from './builtin-word-vectors.js';
import { type CatalogOptions, checkCatalogOptions } from './catalog-options.js';
import { CatalogSearch, type SearchOptions } from './catalog-search.js';
import { type CatalogFunction, type CatalogGroupSummary, isFilter, SILENT_LOGGER } from './catalog-types.js';
import {
  type DefinitionsOptions,
  DefinitionsRenderer,
  type DefinitionsResult,
} from './definitions-renderer.js';
import { ExploreTree } from './explore.js';
import { oneLineSignature } from './group-declarations.js';
import { GroupRegistry } from './group-registry.js';
import { ObservedOutputs } from './observed-outputs.js';
import { inputPropertiesOf } from './pagination/input-properties.js';
import { isPageCallPath, PageCalls, pagedFunctionPath } from './pagination/page-calls.js';
import { PerVersion } from './per-version.js';
import { SemanticSearch, type SemanticStatus } from './semantic-search.js';
import { compileGroupValidators, type ValidatorReport } from './validation/validator-report.js';

/**
 * The registry of API groups and every view of it, configured once at construction: a facade over
 * `GroupRegistry` (groups, aliases, O(1) resolution), `DefinitionsRenderer` (TypeScript
 * declarations), `CatalogSearch` (keyword and hybrid search), the explore tree and, when enabled,
 * output inference (a wrapper around the registry's dispatcher).
 */
export class Catalog implements ApiDispatcher {
  private readonly registry: GroupRegistry;
  private readonly renderer: DefinitionsRenderer;
  private readonly searcher: CatalogSearch;
  private readonly outputs: ObservedOutputs | undefined;
  private readonly dispatcher: ApiDispatcher;
  private readonly pageCalls: PageCalls;
  private readonly exploreTree = new PerVersion<ExploreTree>();

  constructor(options: CatalogOptions = {}) {
    checkCatalogOptions(options);
    const logger = options.logger ?? SILENT_LOGGER;
    this.registry = new GroupRegistry(logger, {
      inputs: options.validateInputs ?? true,
      outputs: options.validateOutputs ?? 'off',
      logger,
    });
    this.renderer = new DefinitionsRenderer(this.registry);
    const ranking = options.ranking ?? {};
    const wordVectors = ranking.wordVectors;
    this.searcher = new CatalogSearch(
      this.registry,
      options.semanticSearch ? new SemanticSearch(options.semanticSearch, logger) : undefined,
      {
        wordVectors: wordVectors === false ? () => undefined : () => wordVectors ?? builtinWordVectors(),
        ...(ranking.wordVectorWeight === undefined ? {} : { wordVectorWeight: ranking.wordVectorWeight }),
        ...(ranking.expansionWeight === undefined ? {} : { expansionWeight: ranking.expansionWeight }),
      },
    );
    this.outputs = options.outputInference
      ? new ObservedOutputs(options.outputInference, logger, this.registry)
      : undefined;
    this.dispatcher = this.outputs ? this.outputs.dispatcher(this.registry) : this.registry;
    this.pageCalls = new PageCalls(
      {
        resolve: (path) => this.dispatcher.resolve(path),
        inputProperties: (path) => inputPropertiesOf(this.registry.entry(path)?.fn.inputSchema),
      },
      options.pagination?.defaultMaxItems ?? DEFAULT_MAX_PAGE_ITEMS,
    );
  }

  /** Changes on every mutation: `<mutation count>-<hash of the groups' contents>`. */
  get version(): string {
    return this.registry.version;
  }

  /** Registers a new group; throws ValidationError when it is invalid or its name is taken. */
  addGroup(group: APIGroup): void {
    const added = this.registry.add(group);
    this.outputs?.groupAdded(added);
  }

  /** Adds the group, or replaces the registered group of the same name (e.g. an MCP tools refresh). */
  replaceGroup(group: APIGroup): void {
    const replaced = this.registry.replace(group);
    this.outputs?.groupAdded(replaced);
  }

  removeGroup(name: string): boolean {
    return this.registry.remove(name);
  }

  getGroup(name: string): APIGroup | undefined {
    return this.registry.group(name)?.group;
  }

  listGroups(): CatalogGroupSummary[] {
    return this.registry.summaries();
  }

  /** Calls `listener(version)` after every change; returns the unsubscribe function. */
  onChange(listener: (version: string) => void): () => void {
    return this.registry.onChange(listener);
  }

  /**
   * The function at an `api.*` path (`github.issues.create`); the registered, unaliased path also works.
   * A page call's path (`github.issues.listForRepo.all#page`, see docs/pagination.md) resolves to a function
   * that calls the paged function once and answers a page.
   */
  resolve(path: string): ResolvedFunction | undefined {
    return isPageCallPath(path) ? this.pageCalls.resolve(path) : this.dispatcher.resolve(path);
  }

  /** Registered paths close to `path` (edit distance, shared words), best first. */
  suggest(path: string, limit = 5): string[] {
    return this.registry.suggest(pagedFunctionPath(path), limit);
  }

  getFunction(path: string): CatalogFunction | undefined {
    const entry = this.registry.entry(path);
    if (!entry) return undefined;
    return {
      group: entry.group,
      fn: entry.fn,
      path: entry.path,
      signature: oneLineSignature(this.registry.compiledOf(entry), entry),
    };
  }

  /**
   * TypeScript declarations of `api.*` for every group, or for `apiGroups` (names or aliases; unknown
   * names are ignored and the answer's `apiGroups` lists what is included; an empty list means every
   * group), or for some `functions` only; `detail: 'compact'` gives the namespace index instead of
   * signatures. The same object is returned until the catalog changes.
   */
  getDefinitions(options: DefinitionsOptions = {}): DefinitionsResult {
    return this.renderer.render(options);
  }

  /** Keyword (BM25) search over function names, group names, descriptions and parameter names. */
  search(query: string, options: SearchOptions = {}): SearchResult[] {
    return this.searcher.search(query, options);
  }

  /**
   * Hybrid search: keyword (BM25) and embedding candidates fused into one ranking (see
   * docs/discovery.md). Keyword-only, like `search`, without semantic search, while the function
   * embeddings are still being computed, or when the model fails. `relevanceScore` is the fused
   * score (0..1) when both rankers took part.
   */
  searchHybrid(query: string, options: SearchOptions = {}): Promise<SearchResult[]> {
    return this.searcher.searchHybrid(query, options);
  }

  /**
   * Builds the search indexes of the current version now (keyword index, built-in word vectors) and
   * embeds every function with the embeddings provider (from the cache when possible); true when the
   * provider's vector index is ready (false without a provider).
   */
  prepareSemanticSearch(): Promise<boolean> {
    return this.searcher.prepare();
  }

  /** Where the embedding index stands; undefined without semantic search. */
  semanticStatus(): SemanticStatus | undefined {
    return this.searcher.status();
  }

  /** A directory or function of the explore tree; NotFoundError naming the path when absent. */
  explore(path: string): ExploreResponse {
    return this.exploreTree
      .get(this.registry.version, () => new ExploreTree(this.registry.sortedGroups()))
      .explore(path);
  }

  /**
   * Compiles the schema checks of every function (or of `apiGroups`) now instead of on each
   * function's first call, e.g. at startup; reports which schemas do not compile (those functions
   * keep only the checks their handlers make).
   */
  compileValidators(options: { apiGroups?: string[] } = {}): ValidatorReport {
    const groups = isFilter(options.apiGroups)
      ? this.registry.select(options.apiGroups)
      : this.registry.sortedGroups();
    return compileGroupValidators(groups);
  }

  /** Merges the shape of a result of the function at `path` into its inferred output type; false when not inferred. */
  observeOutput(path: string, value: unknown): boolean {
    return this.outputs?.observe(path, value) ?? false;
  }

  /** Resolves once inferred output types loaded or observed so far are stored and shown in the declarations. */
  async flushOutputInference(): Promise<void> {
    await this.outputs?.flush();
  }

  /**
   * Reads the persisted inferred output types of every registered group again, in the background
   * (`flushOutputInference` waits for it): for a `cache` getter whose provider changed.
   */
  reloadInferredOutputs(): void {
    this.outputs?.reload();
  }
}

/** A catalog configured once with `options` (validated; a bad field is a ValidationError naming it). */
export function createCatalog(options: CatalogOptions = {}): Catalog {
  return new Catalog(options);
}
