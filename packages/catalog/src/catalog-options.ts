import { parseOrThrow } from '@agent-tool-protocol/protocol';
import { z } from 'zod';
import type { CatalogLogger } from './catalog-types.js';
import type { OutputInferenceOptions } from './output-inference.js';
import type { SemanticSearchOptions } from './semantic-search.js';
import type { OutputValidationMode } from './validation/function-checks.js';
import { WordVectors } from './word-vectors.js';

/** Everything a catalog is configured with; fixed at construction. */
export interface CatalogOptions {
  logger?: CatalogLogger;
  /** Hybrid (keyword + embedding) search; keyword-only without it. */
  semanticSearch?: SemanticSearchOptions;
  /** Output types inferred from results for functions without an output schema; off without it. */
  outputInference?: OutputInferenceOptions;
  /**
   * Check every input against its function's input schema before the handler runs, and reject a
   * bad one with a `ValidationError` naming each problem (default true). See docs/validation.md.
   */
  validateInputs?: boolean;
  /**
   * Check results against the declared (or inferred) output schema: `warn` logs each distinct
   * problem once, `enforce` also fails a call whose result breaks a declared schema (default `off`).
   */
  validateOutputs?: OutputValidationMode;
  /** The catalog's own ranking (keyword and built-in word vectors); see docs/discovery.md. */
  ranking?: CatalogRankingOptions;
  /** `api.<fn>.paginate()` / `.all()` (docs/pagination.md). */
  pagination?: {
    /** Items a listing yields when agent code passes no `max` (default 1,000). */
    defaultMaxItems?: number;
  };
}

export interface CatalogRankingOptions {
  /**
   * Word vectors of the semantic signal: the built-in API word vectors (default, loaded on first
   * search), other `WordVectors`, or `false` for keyword ranking alone.
   */
  wordVectors?: WordVectors | false;
  /** Weight of the word-vector similarity next to the keyword score's 1 (default 0.3). */
  wordVectorWeight?: number;
  /**
   * Weight of a catalog word the word vectors add to the keyword query for a request word
   * (× their cosine; the request's own words weigh 1; default 0: no expansion).
   */
  expansionWeight?: number;
}

const fn = z.custom<(...args: unknown[]) => unknown>(
  (value) => typeof value === 'function',
  'must be a function',
);
const loggerSchema = z.looseObject({ debug: fn, info: fn, warn: fn, error: fn });
const cacheSchema = z.union(
  [fn, z.looseObject({ get: fn, set: fn })],
  'must be a cache provider or a function returning one',
);
const embeddingsSchema = z.custom<unknown>((value) => {
  const candidate = value as Record<string, unknown> | null | undefined;
  return typeof candidate?.embedQuery === 'function' && typeof candidate.embedDocuments === 'function';
}, 'must have embedQuery and embedDocuments functions');
const positive = z.number().positive();
const count = z.number().int().positive();

const CatalogOptionsSchema = z.looseObject({
  logger: loggerSchema.optional(),
  semanticSearch: z
    .looseObject({
      embeddings: embeddingsSchema,
      cache: cacheSchema.optional(),
      modelId: z.string().min(1).optional(),
      batchSize: count.optional(),
      cacheTtlSeconds: positive.optional(),
      queryTimeoutMs: positive.optional(),
      retryAfterMs: z.number().nonnegative().optional(),
      candidates: count.optional(),
      fusion: z
        .looseObject({
          method: z.enum(['linear', 'rrf']).optional(),
          keywordWeight: z.number().min(0).max(1).optional(),
          rrfK: z.number().nonnegative().optional(),
        })
        .optional(),
      logger: loggerSchema.optional(),
    })
    .optional(),
  ranking: z
    .looseObject({
      wordVectors: z.union([z.literal(false), z.instanceof(WordVectors)]).optional(),
      wordVectorWeight: z.number().nonnegative().optional(),
      expansionWeight: z.number().nonnegative().optional(),
    })
    .optional(),
  outputInference: z
    .looseObject({
      cache: cacheSchema.optional(),
      includeSensitive: z.boolean().optional(),
      fieldNames: z.union([z.boolean(), z.array(z.string())]).optional(),
      maxObservations: count.optional(),
      cacheTtlSeconds: positive.optional(),
    })
    .optional(),
  validateInputs: z.boolean().optional(),
  validateOutputs: z.enum(['off', 'warn', 'enforce']).optional(),
  pagination: z.looseObject({ defaultMaxItems: count.optional() }).optional(),
});

/** Checks the options once, naming every bad field; the original object is kept (it holds instances). */
export function checkCatalogOptions(options: CatalogOptions): CatalogOptions {
  parseOrThrow(CatalogOptionsSchema, options, 'catalog options');
  return options;
}
