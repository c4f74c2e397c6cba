export { loadOpenAPI, openapi } from './load.js';
export type {
  LoadOpenAPIOptions,
  OpenAPIAuth,
  OpenAPIAuthWithType,
  OpenAPIFilter,
  OpenAPILogger,
  RetryOptions,
} from './options.js';
