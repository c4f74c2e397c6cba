import type { CacheProvider, EmbeddingsLike } from '@agent-tool-protocol/protocol';
import type { CatalogLogger } from './catalog-types.js';
import { EmbeddingStore, toVector } from './embedding-store.js';
import type { FusionOptions } from './fusion.js';
import { createVectorIndex, type VectorIndex } from './vector-index.js';

// The semantic half of hybrid search: builds the vector index of a catalog version in the
// background and embeds queries. Until the index is ready, or when the model fails, callers get
// `undefined` and use keyword search alone.

export interface SemanticSearchOptions {
  /** Any object with LangChain's `Embeddings` shape (`embedQuery`, `embedDocuments`). */
  embeddings: EmbeddingsLike;
  /** Where function embeddings persist (keyed by a hash of model id and text); memory only without it. */
  cache?: CacheProvider | (() => CacheProvider | undefined);
  /** Names the model in cache keys. Default: the embedder's `modelId`, `model` or `modelName`, else its class name. */
  modelId?: string;
  /** Texts per `embedDocuments` call (default 64). */
  batchSize?: number;
  /** Lifetime of cached embeddings (default 30 days). */
  cacheTtlSeconds?: number;
  /** A query whose embedding takes longer falls back to keyword search (default 5000 ms). */
  queryTimeoutMs?: number;
  /** After a failed index build, the next attempt waits this long (default 60 000 ms). */
  retryAfterMs?: number;
  /** Candidates taken from each ranker before fusion (default 50). */
  candidates?: number;
  fusion?: FusionOptions;
  /** Where progress and failures are logged (default: the catalog's logger). */
  logger?: CatalogLogger;
}

export interface SemanticDocument {
  id: string;
  text: string;
}

export interface SemanticStatus {
  state: 'idle' | 'building' | 'ready' | 'failed';
  version?: string;
  functions: number;
  model: string;
  error?: string;
}

const QUERY_CACHE_LIMIT = 512;

function modelIdOf(embeddings: EmbeddingsLike): string {
  const named = embeddings as unknown as Record<string, unknown>;
  for (const key of ['modelId', 'model', 'modelName']) {
    if (typeof named[key] === 'string' && named[key] !== '') return named[key] as string;
  }
  return embeddings.constructor?.name || 'embeddings';
}

export class SemanticSearch {
  readonly modelId: string;
  readonly candidates: number;
  readonly fusion: FusionOptions;
  private readonly store: EmbeddingStore;
  private readonly queryTimeoutMs: number;
  private readonly retryAfterMs: number;
  private readonly queryVectors = new Map<string, Float32Array>();
  private readonly logger: CatalogLogger;
  private building: { version: string; promise: Promise<VectorIndex | undefined> } | undefined;
  private ready: { version: string; index: VectorIndex } | undefined;
  private failure: { version: string; at: number; message: string } | undefined;

  constructor(
    private readonly options: SemanticSearchOptions,
    catalogLogger: CatalogLogger,
  ) {
    this.logger = options.logger ?? catalogLogger;
    const cache = options.cache;
    this.modelId = options.modelId ?? modelIdOf(options.embeddings);
    this.candidates = Math.max(1, options.candidates ?? 50);
    this.fusion = options.fusion ?? {};
    this.queryTimeoutMs = options.queryTimeoutMs ?? 5_000;
    this.retryAfterMs = options.retryAfterMs ?? 60_000;
    this.store = new EmbeddingStore({
      embeddings: options.embeddings,
      modelId: this.modelId,
      cache: typeof cache === 'function' ? cache : () => cache,
      batchSize: Math.max(1, options.batchSize ?? 64),
      cacheTtlSeconds: options.cacheTtlSeconds ?? 30 * 24 * 3600,
      logger: this.logger,
    });
  }

  /** The vector index of `version` (a key of the catalog's contents) when built; otherwise starts building it (once) and returns undefined. */
  indexFor(version: string, documents: () => SemanticDocument[]): VectorIndex | undefined {
    if (this.ready?.version === version) return this.ready.index;
    void this.prepare(version, documents);
    return undefined;
  }

  /** Builds (or joins the build of) the index of `version`; undefined when the model failed. */
  prepare(version: string, documents: () => SemanticDocument[]): Promise<VectorIndex | undefined> {
    if (this.ready?.version === version) return Promise.resolve(this.ready.index);
    if (this.building?.version === version) return this.building.promise;
    const failure = this.failure;
    if (failure?.version === version && Date.now() - failure.at < this.retryAfterMs)
      return Promise.resolve(undefined);
    const promise = this.build(version, documents()).finally(() => {
      if (this.building?.promise === promise) this.building = undefined;
    });
    this.building = { version, promise };
    return promise;
  }

  status(): SemanticStatus {
    const base = { functions: this.ready?.index.size ?? 0, model: this.modelId };
    if (this.building) return { ...base, state: 'building', version: this.building.version };
    if (this.failure && this.failure.version !== this.ready?.version) {
      return { ...base, state: 'failed', version: this.failure.version, error: this.failure.message };
    }
    if (this.ready) return { ...base, state: 'ready', version: this.ready.version };
    return { ...base, state: 'idle' };
  }

  /** The query's embedding, or undefined when the model fails or is too slow. */
  async queryVector(query: string): Promise<Float32Array | undefined> {
    const known = this.queryVectors.get(query);
    if (known) return known;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`embedQuery took more than ${this.queryTimeoutMs} ms`)),
          this.queryTimeoutMs,
        );
        timer.unref?.();
      });
      const vector = toVector(
        await Promise.race([this.options.embeddings.embedQuery(query), timeout]),
        'embedQuery()',
      );
      if (this.queryVectors.size >= QUERY_CACHE_LIMIT) {
        const oldest = this.queryVectors.keys().next().value;
        if (oldest !== undefined) this.queryVectors.delete(oldest);
      }
      this.queryVectors.set(query, vector);
      return vector;
    } catch (error) {
      this.logger.warn(
        { err: error, model: this.modelId },
        'catalog: query embedding failed; using keyword search',
      );
      return undefined;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  private async build(version: string, documents: SemanticDocument[]): Promise<VectorIndex | undefined> {
    try {
      const vectors = await this.store.vectorsFor(documents.map((document) => document.text));
      const index = createVectorIndex(
        documents.map((document) => document.id),
        vectors,
      );
      // A newer version may have been built meanwhile; only move forward.
      if (this.building?.version === version || !this.ready) this.ready = { version, index };
      this.failure = undefined;
      this.logger.debug(
        { version, functions: index.size, model: this.modelId },
        'catalog: vector index ready',
      );
      return index;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.failure = { version, at: Date.now(), message };
      this.logger.warn(
        { err: error, model: this.modelId, version },
        'catalog: embedding functions failed; using keyword search',
      );
      return undefined;
    }
  }
}
