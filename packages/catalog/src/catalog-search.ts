import type { SearchResult } from '@agent-tool-protocol/protocol';
import { isFilter } from './catalog-types.js';
import { compactSignature } from './compact-signature.js';
import { fuseHits, fuseLists } from './fusion.js';
import type { GroupRegistry } from './group-registry.js';
import {
  createKeywordIndex,
  type KeywordDocument,
  type KeywordHit,
  type KeywordIndex,
  type WeightedTerm,
} from './keyword-index.js';
import { actionOfVerb } from './operation-intent.js';
import { PerVersion } from './per-version.js';
import {
  embeddingText,
  SEARCH_FIELDS,
  type SearchField,
  searchFields,
  shortDescription,
} from './search-documents.js';
import type { SemanticDocument, SemanticSearch, SemanticStatus } from './semantic-search.js';
import { allTokens, searchWords } from './tokenize.js';
import { type RankerDocument, WordVectorRanker } from './word-vector-ranker.js';
import type { WordVectors } from './word-vectors.js';

export interface SearchOptions {
  apiGroups?: string[];
  maxResults?: number;
}

const DEFAULT_MAX_RESULTS = 10;
const DEFAULT_CANDIDATES = 50;
/** Weight of the action word a request's verb names (`remove` → `delete`). */
const ACTION_WEIGHT = 0.5;

/** BM25F field weights: what a function is called and does count more than prose and parameters. */
export const KEYWORD_FIELD_WEIGHTS: Readonly<Record<SearchField, number>> = {
  name: 3,
  action: 2,
  path: 1,
  summary: 2,
  description: 0.5,
  tags: 1,
  parameters: 0.3,
  group: 0.2,
};

/** The catalog's own ranking: keyword (BM25F) and, unless turned off, the built-in word vectors. */
export interface RankingOptions {
  /** Word vectors for the semantic signal: the built-in ones when undefined, none when false. */
  wordVectors?: () => WordVectors | undefined;
  /** Weight of the word-vector similarity next to the keyword score (1) (default 0.6). */
  wordVectorWeight?: number;
}

/**
 * Search over the registry: keyword (BM25) always, fused with embedding candidates when a
 * `SemanticSearch` is given. The keyword index is built once per catalog version, on first use.
 */
export class CatalogSearch {
  private readonly keywordIndex = new PerVersion<KeywordIndex>();
  private readonly semanticDocuments = new PerVersion<SemanticDocument[]>();
  private readonly rankerDocuments = new PerVersion<RankerDocument[]>();
  private readonly wordVectorRanker = new PerVersion<WordVectorRanker | undefined>();

  constructor(
    private readonly registry: GroupRegistry,
    private readonly semantic: SemanticSearch | undefined,
    private readonly ranking: RankingOptions = {},
  ) {}

  /**
   * Keyword (BM25F) search over function names, the action and path words of HTTP operations,
   * summaries, descriptions, tags, parameter names and group descriptions.
   */
  search(query: string, options: SearchOptions = {}): SearchResult[] {
    return this.toResults(
      this.keywords().search(keywordQuery(query), maxResults(options), this.groupFilter(options)),
    );
  }

  /** The catalog's own ranking: BM25F over the request expanded by the word vectors, fused with their similarity. */
  private ownRanking(
    query: string,
    pool: number,
    filter: ((id: string) => boolean) | undefined,
  ): KeywordHit[] {
    const ranker = this.ranker();
    if (!ranker) return this.keywords().search(keywordQuery(query), pool, filter);
    const terms = [...keywordQuery(query), ...ranker.expandQuery(query)];
    return fuseLists([
      { hits: this.keywords().search(terms, pool, filter), weight: 1, scale: 'max' },
      {
        hits: ranker.search(query, pool, filter),
        weight: this.ranking.wordVectorWeight ?? 0.6,
        scale: 'range',
      },
    ]);
  }

  /**
   * Hybrid search: keyword and embedding candidates fused into one ranking. Keyword-only, like
   * `search`, without semantic search, while the function embeddings are still being computed, or
   * when the model fails.
   */
  async searchHybrid(query: string, options: SearchOptions = {}): Promise<SearchResult[]> {
    const filter = this.groupFilter(options);
    const limit = maxResults(options);
    const semantic = this.semantic;
    const pool = Math.max(semantic?.candidates ?? DEFAULT_CANDIDATES, limit);
    const own = () => this.ownRanking(query, pool, filter);
    if (!semantic) return this.toResults(own().slice(0, limit));
    const key = this.registry.contentKey;
    const vectorIndex = semantic.indexFor(key, () => this.documents());
    if (!vectorIndex) return this.toResults(own().slice(0, limit));
    const queryVector = await semantic.queryVector(query);
    if (!queryVector || this.registry.contentKey !== key) return this.toResults(own().slice(0, limit));
    const fused = fuseHits(own(), vectorIndex.search(queryVector, pool, filter), semantic.fusion);
    return this.toResults(fused.slice(0, limit));
  }

  /**
   * Embeds every function of the current contents (from the cache when possible); true when the
   * vector index is ready. The index is keyed by the groups' contents only, so changes that leave
   * every function's text as it was (inferred output types) keep it.
   */
  async prepare(): Promise<boolean> {
    this.warmUp();
    if (!this.semantic) return false;
    const index = await this.semantic.prepare(this.registry.contentKey, () => this.documents());
    return index !== undefined;
  }

  status(): SemanticStatus | undefined {
    return this.semantic?.status();
  }

  private keywords(): KeywordIndex {
    return this.keywordIndex.get(this.registry.version, () => buildKeywordIndex(this.rankedDocuments()));
  }

  private rankedDocuments(): RankerDocument[] {
    return this.rankerDocuments.get(this.registry.version, () =>
      this.registry
        .sortedGroups()
        .flatMap((compiled) =>
          compiled.entries.map((entry) => ({ id: entry.path, fields: searchFields(entry) })),
        ),
    );
  }

  /** The word-vector ranker of the current version (built on first use); undefined without vectors. */
  private ranker(): WordVectorRanker | undefined {
    return this.wordVectorRanker.get(this.registry.version, () => {
      const vectors = this.ranking.wordVectors?.();
      return vectors ? new WordVectorRanker(vectors, this.rankedDocuments(), this.keywords()) : undefined;
    });
  }

  /** Builds the keyword index and word-vector ranker of the current version now (else on first search). */
  private warmUp(): void {
    this.ranker();
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
        name: entry.path,
        description: shortDescription(entry.fn.description ?? ''),
        signature: compactSignature(this.registry.compiledOf(entry), entry),
        relevanceScore: Math.round(hit.score * 100) / 100,
      });
    }
    return results;
  }
}

function maxResults(options: SearchOptions): number {
  return Math.max(1, Math.floor(options.maxResults ?? DEFAULT_MAX_RESULTS));
}

/** The request's words, and the action word its verbs name (`remove` → `delete`) at half weight. */
function keywordQuery(query: string): WeightedTerm[] {
  const terms: WeightedTerm[] = searchWords(query).map((term) => ({ term, weight: 1 }));
  for (const word of allTokens(query)) {
    const action = actionOfVerb(word);
    if (action && action !== word) terms.push({ term: action, weight: ACTION_WEIGHT });
  }
  return terms;
}

function buildKeywordIndex(documents: readonly RankerDocument[]): KeywordIndex {
  return createKeywordIndex(
    documents.map(
      (document): KeywordDocument => ({
        id: document.id,
        fields: SEARCH_FIELDS.map((field) => ({
          name: field,
          text: document.fields[field],
          weight: KEYWORD_FIELD_WEIGHTS[field],
        })),
      }),
    ),
  );
}
