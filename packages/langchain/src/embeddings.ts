import type { EmbeddingProvider } from '@agent-tool-protocol/client';
import { type EmbeddingsLike, ValidationError } from '@agent-tool-protocol/protocol';

export interface LangChainEmbeddingsOptions {
  /**
   * Send the texts of one paused execution's concurrent `atp.embedding.embed` calls as one
   * `embedDocuments` request (default true). Off: one `embedQuery` per call.
   */
  batch?: boolean;
}

/**
 * An ATP embedding provider (`client.provideEmbedding(...)`) from any LangChain `Embeddings`
 * (OpenAIEmbeddings, …). Concurrent calls are batched into one `embedDocuments` request.
 */
export function embeddingsFromLangChain(
  embeddings: EmbeddingsLike,
  options: LangChainEmbeddingsOptions = {},
): EmbeddingProvider {
  if (typeof embeddings?.embedQuery !== 'function' || typeof embeddings.embedDocuments !== 'function') {
    throw new ValidationError(
      'embeddingsFromLangChain: embeddings must be a LangChain Embeddings object (with embedQuery() and embedDocuments()).',
      [{ path: 'embeddings', message: 'must have embedQuery() and embedDocuments() methods' }],
    );
  }
  if (options.batch === false) return { embed: (text) => embeddings.embedQuery(text) };

  let queue: Array<{ text: string; resolve: (vector: number[]) => void; reject: (error: unknown) => void }> =
    [];
  const flush = async () => {
    const batch = queue;
    queue = [];
    if (batch.length === 1) {
      const only = batch[0]!;
      embeddings.embedQuery(only.text).then(only.resolve, only.reject);
      return;
    }
    try {
      const vectors = await embeddings.embedDocuments(batch.map((item) => item.text));
      batch.forEach((item, index) => {
        const vector = vectors[index];
        if (vector) item.resolve(vector);
        else
          item.reject(
            new Error(`The embeddings model returned ${vectors.length} vectors for ${batch.length} texts.`),
          );
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  };
  return {
    embed: (text) =>
      new Promise<number[]>((resolve, reject) => {
        // The client starts every callback of one pause in the same tick: one microtask collects them.
        if (queue.length === 0) queueMicrotask(flush);
        queue.push({ text, resolve, reject });
      }),
  };
}
