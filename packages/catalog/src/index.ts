export {
  Catalog,
  type CatalogFunction,
  type CatalogGroupSummary,
  type CatalogLogger,
  type CatalogOptions,
  type DefinitionsOptions,
  type DefinitionsResult,
  type SearchOptions,
} from './catalog.js';
export { EMBEDDING_KEY_PREFIX } from './embedding-store.js';
export { type FusionMethod, type FusionOptions, fuseHits } from './fusion.js';
export { HashingEmbeddings, type HashingEmbeddingsOptions } from './hashing-embeddings.js';
export { isIdentifierName, toIdentifier } from './identifiers.js';
export { INFERRED_MARKER, inferSchema, mergeSchemas } from './infer-schema.js';
export {
  createKeywordIndex,
  type KeywordDocument,
  type KeywordField,
  type KeywordHit,
  type KeywordIndex,
  type KeywordIndexOptions,
} from './keyword-index.js';
export { OUTPUT_TYPE_KEY_PREFIX, type OutputInferenceOptions } from './output-inference.js';
export { generateRuntimeDefinitions, RUNTIME_APIS, type RuntimeApiName } from './runtime-definitions.js';
export { type JsonSchemaToTypeScriptOptions, jsonSchemaToTypeScript } from './schema-to-ts.js';
export type { SemanticSearchOptions, SemanticStatus } from './semantic-search.js';
export { tokenize } from './tokenize.js';
export { createVectorIndex, type VectorIndex } from './vector-index.js';
