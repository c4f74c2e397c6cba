// @ts-check
/**
 * `atp.embedding.*` inside the sandbox (loaded as text before the bootstrap, see `sandbox-source.ts`; the
 * bootstrap calls `atpEmbedding` once). The client computes vectors (`embedding.embed` / `embedding.search`
 * host calls, which pause for it: the wire protocol answers a `number[]` to both); this execution keeps
 * them, as the original ATP did:
 * - `embed(text | texts, metadata?)` stores each text with its vector and answers its id (`emb_1`, …);
 * - `search(query, { topK, minSimilarity, filter, … })` ranks the stored texts by cosine similarity to the
 *   query's vector: `[{ id, text, similarity, metadata? }]`, best first;
 * - `vector(text)` answers the raw vector (not stored); `similarity`, `count`, `getAll`.
 * The store lives in the isolate: per execution, bounded by its memory limit, unreachable by any other
 * execution. A durable replay rebuilds it: the vectors are journaled answers, stored again in order.
 */
/**
 * @typedef {{ id: string, text: string, embedding: number[], metadata?: unknown }} EmbeddingRecord
 * @typedef {{ id: string, text: string, similarity: number, metadata?: unknown }} EmbeddingMatch
 * @typedef {{ call: (op: 'embedding.embed' | 'embedding.search', args: Record<string, unknown>, what: string) => Promise<unknown> }} EmbeddingHost
 */

/**
 * @param {EmbeddingHost} host
 */
// biome-ignore lint/correctness/noUnusedVariables: called by the bootstrap (loaded with it as one script)
function atpEmbedding(host) {
  'use strict';
  const ObjectFreeze = Object.freeze;
  const ObjectDefineProperty = Object.defineProperty;
  const ArrayIsArray = Array.isArray;
  const MathSqrt = Math.sqrt;
  const MathFloor = Math.floor;
  const PromiseAll = Promise.all.bind(Promise);
  const StringCtor = String;
  const TypeErrorCtor = TypeError;
  // No prototype: storing a record never reaches a setter agent code put on Array.prototype.
  /** @type {EmbeddingRecord[]} */
  const records = Object.setPrototypeOf([], null);
  let nextId = 0;

  /**
   * @param {unknown} text
   * @returns {Promise<unknown>}
   */
  const vector = (text) => host.call('embedding.embed', { text }, 'The text to embed');

  /**
   * @param {unknown} a
   * @param {unknown} b
   * @returns {number}
   */
  function similarity(a, b) {
    if (!ArrayIsArray(a) || !ArrayIsArray(b) || a.length !== b.length || a.length === 0) return 0;
    let dot = 0;
    let normA = 0;
    let normB = 0;
    for (let i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      normA += a[i] * a[i];
      normB += b[i] * b[i];
    }
    return normA === 0 || normB === 0 ? 0 : dot / (MathSqrt(normA) * MathSqrt(normB));
  }

  /**
   * @param {unknown} text
   * @param {unknown} metadata
   * @returns {Promise<string>}
   */
  async function store(text, metadata) {
    const id = `emb_${++nextId}`;
    const embedding = await vector(text);
    if (!ArrayIsArray(embedding)) {
      throw new TypeErrorCtor('The client answered atp.embedding.embed with no vector (an array of numbers)');
    }
    /** @type {EmbeddingRecord} */
    const record =
      metadata === undefined
        ? { id, text: StringCtor(text), embedding }
        : { id, text: StringCtor(text), embedding, metadata };
    records[records.length] = record;
    return id;
  }

  /**
   * @param {EmbeddingRecord} record
   * @param {unknown} filter
   */
  function matches(record, filter) {
    if (filter === null || typeof filter !== 'object') return true;
    const wanted = /** @type {Record<string, unknown>} */ (filter);
    const metadata = /** @type {Record<string, unknown> | undefined} */ (record.metadata);
    for (const key in wanted) if (metadata === undefined || metadata[key] !== wanted[key]) return false;
    return true;
  }

  return ObjectFreeze({
    /**
     * @param {unknown} input
     * @param {unknown} metadata
     */
    embed: (input, metadata) => {
      if (!ArrayIsArray(input)) return store(input, metadata);
      /** @type {Promise<string>[]} */
      const ids = [];
      for (let i = 0; i < input.length; i++) ids[i] = store(input[i], metadata);
      return PromiseAll(ids);
    },
    /**
     * @param {unknown} query
     * @param {unknown} options
     */
    search: async (query, options) => {
      /** @type {Record<string, unknown>} */
      const payload = { query };
      if (options !== null && typeof options === 'object') {
        const source = /** @type {Record<string, unknown>} */ (options);
        for (const key in source) if (key !== 'query') payload[key] = source[key];
      }
      const topK = typeof payload.topK === 'number' && payload.topK >= 0 ? MathFloor(payload.topK) : 5;
      const least = typeof payload.minSimilarity === 'number' ? payload.minSimilarity : -Infinity;
      const queryVector = await host.call('embedding.search', payload, 'The embedding search input');
      /** @type {EmbeddingMatch[]} */
      const ranked = [];
      for (let i = 0; i < records.length; i++) {
        const record = /** @type {EmbeddingRecord} */ (records[i]);
        if (!matches(record, payload.filter)) continue;
        const score = similarity(queryVector, record.embedding);
        if (score < least) continue;
        /** @type {EmbeddingMatch} */
        const match = { id: record.id, text: record.text, similarity: score };
        if (record.metadata !== undefined) match.metadata = record.metadata;
        ranked[ranked.length] = match;
      }
      ranked.sort((a, b) => b.similarity - a.similarity);
      return ranked.slice(0, topK);
    },
    vector,
    similarity,
    count: () => records.length,
    getAll: () => {
      /** @type {EmbeddingRecord[]} */
      const copy = [];
      for (let i = 0; i < records.length; i++)
        ObjectDefineProperty(
          copy,
          i,
          /** @type {PropertyDescriptor} */ ({
            __proto__: null,
            value: records[i],
            writable: true,
            enumerable: true,
            configurable: true,
          }),
        );
      return copy;
    },
  });
}
