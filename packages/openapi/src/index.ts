export { loadOpenAPI, openapi } from './load.js';
export type {
  LoadOpenAPIOptions,
  OpenAPIAuth,
  OpenAPIFilter,
  OpenAPILogger,
  RetryOptions,
} from './options.js';
