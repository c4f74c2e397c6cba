import type { SearchResult } from '@agent-tool-protocol/protocol';
import { isFilter } from './catalog-types.js';
import type { CompiledGroup } from './compiled-group.js';
import { fuseHits } from './fusion.js';
import { oneLineSignature } from './group-declarations.js';
import type { GroupRegistry } from './group-registry.js';
import { createKeywordIndex, type KeywordDocument, type KeywordIndex } from './keyword-index.js';
import { PerVersion } from './per-version.js';
import { embeddingText } from './search-documents.js';
import type { SemanticDocument, SemanticSearch, SemanticStatus } from './semantic-search.js';

export interface SearchOptions {
  apiGroups?: string[];
  maxResults?: number;
}

const DEFAULT_MAX_RESULTS = 10;

/** Field weights of the keyword index: names count more than prose. */
const SEARCH_WEIGHTS = { name: 3, originalName: 2, group: 1, description: 1, parameters: 1, tags: 1 };

/**
 * Search over the registry: keyword (BM25) always, fused with embedding candidates when a
 * `SemanticSearch` is given. The keyword index is built once per catalog version, on first use.
 */
export class CatalogSearch {
  private readonly keywordIndex = new PerVersion<KeywordIndex>();
  private readonly semanticDocuments = new PerVersion<SemanticDocument[]>();

  constructor(
    private readonly registry: GroupRegistry,
    private readonly semantic: SemanticSearch | undefined,
  ) {}

  /** Keyword (BM25) search over function names, group names, descriptions and parameter names. */
  search(query: string, options: SearchOptions = {}): SearchResult[] {
    return this.toResults(this.keywords().search(query, maxResults(options), this.groupFilter(options)));
  }

  /**
   * Hybrid search: keyword and embedding candidates fused into one ranking. Keyword-only, like
   * `search`, without semantic search, while the function embeddings are still being computed, or
   * when the model fails.
   */
  async searchHybrid(query: string, options: SearchOptions = {}): Promise<SearchResult[]> {
    const semantic = this.semantic;
    if (!semantic) return this.search(query, options);
    const key = this.registry.contentKey;
    const vectorIndex = semantic.indexFor(key, () => this.documents());
    if (!vectorIndex) return this.search(query, options);
    const queryVector = await semantic.queryVector(query);
    if (!queryVector || this.registry.contentKey !== key) return this.search(query, options);
    const filter = this.groupFilter(options);
    const limit = maxResults(options);
    const pool = Math.max(semantic.candidates, limit);
    const fused = fuseHits(
      this.keywords().search(query, pool, filter),
      vectorIndex.search(queryVector, pool, filter),
      semantic.fusion,
    );
    return this.toResults(fused.slice(0, limit));
  }

  /**
   * Embeds every function of the current contents (from the cache when possible); true when the
   * vector index is ready. The index is keyed by the groups' contents only, so changes that leave
   * every function's text as it was (inferred output types) keep it.
   */
  async prepare(): Promise<boolean> {
    if (!this.semantic) return false;
    const index = await this.semantic.prepare(this.registry.contentKey, () => this.documents());
    return index !== undefined;
  }

  status(): SemanticStatus | undefined {
    return this.semantic?.status();
  }

  private keywords(): KeywordIndex {
    return this.keywordIndex.get(this.registry.version, () =>
      buildKeywordIndex(this.registry.sortedGroups()),
    );
  }

  private documents(): SemanticDocument[] {
    return this.semanticDocuments.get(this.registry.version, () =>
      this.registry
        .sortedGroups()
        .flatMap((compiled) =>
          compiled.entries.map((entry) => ({ id: entry.path, text: embeddingText(entry) })),
        ),
    );
  }

  private groupFilter(options: SearchOptions): ((path: string) => boolean) | undefined {
    if (!isFilter(options.apiGroups)) return undefined;
    const allowed = new Set(this.registry.select(options.apiGroups!).map((compiled) => compiled.alias));
    return (path: string) => allowed.has(this.registry.entryAt(path)?.groupAlias ?? '');
  }

  private toResults(hits: readonly { id: string; score: number }[]): SearchResult[] {
    const results: SearchResult[] = [];
    for (const hit of hits) {
      const entry = this.registry.entryAt(hit.id);
      if (!entry) continue;
      results.push({
        apiGroup: entry.group.name,
        functionName: entry.name,
        description: entry.fn.description ?? '',
        signature: oneLineSignature(this.registry.compiledOf(entry), entry),
        relevanceScore: Math.round(hit.score * 10_000) / 10_000,
      });
    }
    return results;
  }
}

function maxResults(options: SearchOptions): number {
  return Math.max(1, Math.floor(options.maxResults ?? DEFAULT_MAX_RESULTS));
}

function buildKeywordIndex(groups: readonly CompiledGroup[]): KeywordIndex {
  const documents: KeywordDocument[] = [];
  for (const compiled of groups) {
    const groupText = `${compiled.group.name} ${compiled.alias === compiled.group.name ? '' : compiled.alias}`;
    for (const entry of compiled.entries) {
      const properties = entry.fn.inputSchema?.properties;
      const parameters =
        typeof properties === 'object' && properties !== null ? Object.keys(properties).join(' ') : '';
      documents.push({
        id: entry.path,
        fields: [
          { text: entry.name, weight: SEARCH_WEIGHTS.name },
          { text: entry.fn.name === entry.name ? '' : entry.fn.name, weight: SEARCH_WEIGHTS.originalName },
          { text: groupText, weight: SEARCH_WEIGHTS.group },
          { text: entry.fn.description ?? '', weight: SEARCH_WEIGHTS.description },
          { text: parameters, weight: SEARCH_WEIGHTS.parameters },
          { text: (entry.fn.metadata?.tags ?? []).join(' '), weight: SEARCH_WEIGHTS.tags },
        ],
      });
    }
  }
  return createKeywordIndex(documents);
}
