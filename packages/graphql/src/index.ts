export { GraphQLCallError, type GraphQLCallErrorDetails, type GraphQLErrorEntry } from './errors.js';
export { loadGraphQL } from './load.js';
export type { RelayPagination } from './metadata.js';
export type {
  GraphQLAuth,
  GraphQLFilter,
  GraphQLLogger,
  GraphQLRetryOptions,
  LoadGraphQLOptions,
  LoadGraphQLSourceOptions,
} from './options.js';
