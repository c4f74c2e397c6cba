export {
  /** @deprecated import `isIdentifierName` from `@agent-tool-protocol/protocol` (the same function). */
  isIdentifierName,
  /** @deprecated import `toIdentifier` from `@agent-tool-protocol/protocol` (the same function). */
  toIdentifier,
} from '@agent-tool-protocol/protocol';
export { Catalog, createCatalog } from './catalog.js';
export type { CatalogOptions } from './catalog-options.js';
export type { SearchOptions } from './catalog-search.js';
export type { CatalogFunction, CatalogGroupSummary, CatalogLogger } from './catalog-types.js';
export type { DefinitionsOptions, DefinitionsResult } from './definitions-renderer.js';
export { EMBEDDING_KEY_PREFIX } from './embedding-store.js';
export { type FusionMethod, type FusionOptions, fuseHits } from './fusion.js';
export { HashingEmbeddings, type HashingEmbeddingsOptions } from './hashing-embeddings.js';
export { INFERRED_MARKER, type InferOptions, inferSchema, mergeSchemas } from './infer-schema.js';
export {
  createKeywordIndex,
  type KeywordDocument,
  type KeywordField,
  type KeywordHit,
  type KeywordIndex,
  type KeywordIndexOptions,
} from './keyword-index.js';
export {
  ACTION_VERBS,
  actionOfVerb,
  type OperationAction,
  type OperationIntent,
  operationIntent,
} from './operation-intent.js';
export {
  OUTPUT_SHAPE_KEY_PREFIX,
  OUTPUT_TYPE_KEY_PREFIX,
  type OutputInferenceOptions,
} from './output-inference.js';
export { generateRuntimeDefinitions, RUNTIME_APIS, type RuntimeApiName } from './runtime-definitions.js';
export { type JsonSchemaToTypeScriptOptions, jsonSchemaToTypeScript } from './schema-to-ts.js';
export type { SemanticSearchOptions, SemanticStatus } from './semantic-search.js';
export { contentWords, tokenize } from './tokenize.js';
export type { OutputValidationMode } from './validation/function-checks.js';
export {
  type ClientToolLike,
  createToolInputValidator,
  type ToolInputValidatorOptions,
} from './validation/tool-input-validator.js';
export type { ValidatorReport } from './validation/validator-report.js';
export { createVectorIndex, type VectorIndex } from './vector-index.js';
export { encodeWordVectors, WordVectors, type WordVectorsData } from './word-vectors.js';
