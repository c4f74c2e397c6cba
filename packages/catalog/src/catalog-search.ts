import type { APIGroup, SearchResult } from '@agent-tool-protocol/protocol';
import { isFilter } from './catalog-types.js';
import { compactSignature } from './compact-signature.js';
import { fuseHits, fuseLists } from './fusion.js';
import type { GroupRegistry } from './group-registry.js';
import {
  buildGroupPart,
  buildGroupPartNow,
  type GroupSearchPart,
  type PartContext,
} from './group-search-part.js';
import type { KeywordHit, WeightedTerm } from './keyword-index.js';
import { actionOfVerb } from './operation-intent.js';
import { SEARCH_FIELDS, shortDescription } from './search-documents.js';
import { assembleSearchIndex, type SearchIndex } from './search-index.js';
import type { SemanticSearch, SemanticStatus } from './semantic-search.js';
import { TermDictionary } from './term-dictionary.js';
import { TermVectors } from './term-vectors.js';
import { allTokens, searchWords } from './tokenize.js';
import { DEFAULT_VECTOR_FIELD_WEIGHTS } from './word-vector-ranker.js';
import type { WordVectors } from './word-vectors.js';

export interface SearchOptions {
  apiGroups?: string[];
  maxResults?: number;
}

const DEFAULT_MAX_RESULTS = 10;
const DEFAULT_CANDIDATES = 50;
/** Weight of the action word a request's verb names (`remove` → `delete`). */
const ACTION_WEIGHT = 0.5;
/**
 * Weight of the word-vector similarity next to the keyword score's 1: fitted on pseudo-requests
 * from held-out public APIs (packages/embeddings-training, fit-ranking.ts), not on the evaluation.
 */
export const DEFAULT_WORD_VECTOR_WEIGHT = 0.3;

/** The catalog's own ranking: keyword (BM25F) and, unless turned off, the built-in word vectors. */
export interface RankingOptions {
  /** Word vectors for the semantic signal: the built-in ones when undefined, none when false. */
  wordVectors?: () => WordVectors | undefined;
  /** Weight of the word-vector similarity next to the keyword score (1) (default 0.3). */
  wordVectorWeight?: number;
  /** Weight of the query expansion's catalog words (× cosine) (default 0: off). */
  expansionWeight?: number;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Search over the registry: the catalog's own ranking (BM25F and word vectors), fused with
 * embedding candidates when a `SemanticSearch` is given. What each registered group contributes
 * is computed once per group (group-search-part.ts); the indexes of a catalog version are
 * assembled from those parts on first use, or in the background by `prepare()`.
 */
export class CatalogSearch {
  private readonly dictionary = new TermDictionary();
  private readonly parts = new WeakMap<APIGroup, GroupSearchPart>();
  private termVectors: TermVectors | undefined;
  private current: { key: string; index: SearchIndex } | undefined;
  private background: { key: string; promise: Promise<void> } | undefined;
  /** Work done so far (for diagnostics and tests): functions whose part was built, indexes assembled. */
  readonly work = { functionsIndexed: 0, indexesAssembled: 0 };

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
      this.index().keywords.search(keywordQuery(query), maxResults(options), this.groupFilter(options)),
    );
  }

  /** The catalog's own ranking: BM25F over the request expanded by the word vectors, fused with their similarity. */
  private ownRanking(
    query: string,
    pool: number,
    filter: ((id: string) => boolean) | undefined,
  ): KeywordHit[] {
    const { keywords, ranker } = this.index();
    if (!ranker) return keywords.search(keywordQuery(query), pool, filter);
    const terms = [...keywordQuery(query), ...ranker.expandQuery(query)];
    return fuseLists([
      { hits: keywords.search(terms, pool, filter), weight: 1, scale: 'max' },
      {
        hits: ranker.search(query, pool, filter),
        weight: this.ranking.wordVectorWeight ?? DEFAULT_WORD_VECTOR_WEIGHT,
        scale: 'range',
      },
    ]);
  }

  /**
   * Hybrid search: the catalog's own ranking fused with embedding candidates. The own ranking
   * alone without semantic search, while the function embeddings are still being computed, or
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
    const vectorIndex = semantic.indexFor(key, () => this.index().semanticDocuments);
    if (!vectorIndex) return this.toResults(own().slice(0, limit));
    const queryVector = await semantic.queryVector(query);
    if (!queryVector || this.registry.contentKey !== key) return this.toResults(own().slice(0, limit));
    const fused = fuseHits(own(), vectorIndex.search(queryVector, pool, filter), semantic.fusion);
    return this.toResults(fused.slice(0, limit));
  }

  /**
   * Builds the search indexes of the current contents in the background (a chunk of functions per
   * event-loop turn), then embeds every function with the provider (from the cache when possible);
   * true when the provider's vector index is ready. A search meanwhile finishes the build itself.
   */
  async prepare(): Promise<boolean> {
    await this.buildInBackground();
    if (!this.semantic) return false;
    const index = await this.semantic.prepare(this.registry.contentKey, () => this.index().semanticDocuments);
    return index !== undefined;
  }

  status(): SemanticStatus | undefined {
    return this.semantic?.status();
  }

  /** The indexes of the current contents (changes that leave every function's text alone keep them). */
  private index(): SearchIndex {
    const key = this.registry.contentKey;
    if (this.current?.key === key) return this.current.index;
    const context = this.partContext();
    const parts = this.registry.sortedGroups().map((compiled) => {
      let part = this.parts.get(compiled.group);
      if (!part) {
        part = buildGroupPartNow(compiled, context);
        this.addPart(compiled.group, part);
      }
      return part;
    });
    const index = assembleSearchIndex(
      parts,
      this.dictionary,
      this.termVectors?.vectors,
      this.ranking.expansionWeight === undefined ? {} : { expansionWeight: this.ranking.expansionWeight },
    );
    this.work.indexesAssembled++;
    this.current = { key, index };
    return index;
  }

  private addPart(group: APIGroup, part: GroupSearchPart): void {
    this.parts.set(group, part);
    this.work.functionsIndexed += part.ids.length;
  }

  private buildInBackground(): Promise<void> {
    const key = this.registry.contentKey;
    if (this.current?.key === key) return Promise.resolve();
    if (this.background?.key === key) return this.background.promise;
    const promise = (async () => {
      const context = this.partContext();
      for (const compiled of this.registry.sortedGroups()) {
        if (this.parts.has(compiled.group)) continue;
        const steps = buildGroupPart(compiled, context);
        for (;;) {
          const step = steps.next();
          if (step.done) {
            this.addPart(compiled.group, step.value);
            break;
          }
          await nextTurn();
          // A search may have built the part meanwhile.
          if (this.parts.has(compiled.group)) break;
        }
        await nextTurn();
      }
      const index = this.index();
      await nextTurn();
      // What the first search would otherwise build: the sorted vocabulary and expansion candidates.
      index.ranker?.warmUp();
      index.keywords.terms();
    })().finally(() => {
      if (this.background?.promise === promise) this.background = undefined;
    });
    this.background = { key, promise };
    return promise;
  }

  private partContext(): PartContext {
    if (!this.termVectors) {
      const vectors = this.ranking.wordVectors?.();
      if (vectors) this.termVectors = new TermVectors(vectors, this.dictionary);
    }
    return {
      dictionary: this.dictionary,
      ...(this.termVectors
        ? {
            termVectors: {
              table: this.termVectors,
              fieldWeights: SEARCH_FIELDS.map((field) => DEFAULT_VECTOR_FIELD_WEIGHTS[field]),
            },
          }
        : {}),
      embeddingTexts: this.semantic !== undefined,
    };
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
