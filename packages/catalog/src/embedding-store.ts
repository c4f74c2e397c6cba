import { createHash } from 'node:crypto';
import type { CacheProvider, EmbeddingsLike } from '@agent-tool-protocol/protocol';
import type { CatalogLogger } from './catalog-types.js';

// Function embeddings, computed once per (model, text): kept in memory and in the cache provider
// (as base64 float32) under a hash of the text, so restarts and other instances reuse them.

export const EMBEDDING_KEY_PREFIX = 'atp:catalog:embedding:';

export interface EmbeddingStoreOptions {
  embeddings: EmbeddingsLike;
  modelId: string;
  cache?: () => CacheProvider | undefined;
  batchSize: number;
  cacheTtlSeconds: number;
  logger: CatalogLogger;
}

const CACHE_READ_CONCURRENCY = 32;

export function encodeVector(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}

export function decodeVector(encoded: unknown): Float32Array | undefined {
  if (typeof encoded !== 'string') return undefined;
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.byteLength === 0 || bytes.byteLength % 4 !== 0) return undefined;
  const vector = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(vector.buffer).set(bytes);
  return vector;
}

export function toVector(value: unknown, what: string): Float32Array {
  if (!Array.isArray(value) && !ArrayBuffer.isView(value))
    throw new TypeError(`${what} is not an array of numbers`);
  const vector = Float32Array.from(value as ArrayLike<number>);
  if (vector.length === 0 || vector.some((item) => !Number.isFinite(item))) {
    throw new TypeError(`${what} is empty or holds a non-finite number`);
  }
  return vector;
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export class EmbeddingStore {
  private readonly memory = new Map<string, Float32Array>();

  constructor(private readonly options: EmbeddingStoreOptions) {}

  keyOf(text: string): string {
    return createHash('sha256').update(`${this.options.modelId}\u0000${text}`).digest('hex').slice(0, 40);
  }

  /** One vector per text, in order: from memory, then the cache, then the model (in batches). */
  async vectorsFor(texts: readonly string[]): Promise<Float32Array[]> {
    const keys = texts.map((text) => this.keyOf(text));
    const missing = [...new Set(keys.filter((key) => !this.memory.has(key)))];
    const cache = this.options.cache?.();
    if (cache && missing.length > 0) {
      const cached = await mapLimited(missing, CACHE_READ_CONCURRENCY, (key) =>
        cache.get(`${EMBEDDING_KEY_PREFIX}${key}`).then(decodeVector, () => undefined),
      );
      cached.forEach((vector, index) => {
        if (vector) this.memory.set(missing[index]!, vector);
      });
    }
    const textByKey = new Map(keys.map((key, index) => [key, texts[index]!]));
    const toEmbed = missing.filter((key) => !this.memory.has(key));
    if (toEmbed.length > 0) await this.embed(toEmbed, textByKey, cache);
    this.prune(new Set(keys));
    return keys.map((key) => this.memory.get(key)!);
  }

  private async embed(
    keys: string[],
    textByKey: Map<string, string>,
    cache: CacheProvider | undefined,
  ): Promise<void> {
    const { batchSize, logger, modelId } = this.options;
    const started = Date.now();
    const total = keys.length;
    if (total > batchSize) logger.info({ model: modelId, total }, `catalog: embedding ${total} functions`);
    // Progress about every tenth of the work (and at the end), not every batch.
    const step = Math.max(batchSize, Math.ceil(total / 10));
    let nextLog = step;
    for (let start = 0; start < total; start += batchSize) {
      const batch = keys.slice(start, start + batchSize);
      const vectors = await this.options.embeddings.embedDocuments(batch.map((key) => textByKey.get(key)!));
      if (!Array.isArray(vectors) || vectors.length !== batch.length) {
        throw new TypeError(
          `embedDocuments returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${batch.length} texts`,
        );
      }
      const writes: Promise<void>[] = [];
      batch.forEach((key, index) => {
        const vector = toVector(vectors[index], `embedDocuments()[${index}]`);
        this.memory.set(key, vector);
        if (cache) {
          writes.push(
            cache
              .set(`${EMBEDDING_KEY_PREFIX}${key}`, encodeVector(vector), this.options.cacheTtlSeconds)
              .catch((error: unknown) =>
                logger.debug({ err: error }, 'catalog: could not cache an embedding'),
              ),
          );
        }
      });
      await Promise.all(writes);
      const done = Math.min(total, start + batch.length);
      if (total > batchSize && (done >= nextLog || done === total)) {
        logger.info({ model: modelId, done, total }, `catalog: embedded ${done}/${total} functions`);
        while (nextLog <= done) nextLog += step;
      }
    }
    logger.debug({ model: modelId, total, ms: Date.now() - started }, 'catalog: embeddings computed');
  }

  /** Keeps memory to the current functions' vectors (old versions' texts are dropped). */
  private prune(current: ReadonlySet<string>): void {
    if (this.memory.size <= current.size * 2) return;
    for (const key of this.memory.keys()) if (!current.has(key)) this.memory.delete(key);
  }
}
