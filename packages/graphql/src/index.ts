export type {
  /** @deprecated import `RelayPagination` from `@agent-tool-protocol/protocol` (the same type). */
  RelayPagination,
} from '@agent-tool-protocol/protocol';
export { GraphQLCallError, type GraphQLCallErrorDetails, type GraphQLErrorEntry } from './errors.js';
export { loadGraphQL } from './load.js';
export type {
  GraphQLAuth,
  GraphQLFilter,
  GraphQLLogger,
  GraphQLRetryOptions,
  LoadGraphQLOptions,
  LoadGraphQLSourceOptions,
} from './options.js';
