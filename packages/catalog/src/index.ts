export {
  Catalog,
  type CatalogFunction,
  type CatalogGroupSummary,
  type CatalogLogger,
  type CatalogOptions,
  type DefinitionsResult,
} from './catalog.js';
export { isIdentifierName, toIdentifier } from './identifiers.js';
export {
  createKeywordIndex,
  type KeywordDocument,
  type KeywordField,
  type KeywordHit,
  type KeywordIndex,
  type KeywordIndexOptions,
} from './keyword-index.js';
export { generateRuntimeDefinitions, RUNTIME_APIS, type RuntimeApiName } from './runtime-definitions.js';
export { type JsonSchemaToTypeScriptOptions, jsonSchemaToTypeScript } from './schema-to-ts.js';
export { tokenize } from './tokenize.js';
