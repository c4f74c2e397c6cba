import type { ToolMetadata } from '@agent-tool-protocol/protocol';
import { type GraphQLField, getNamedType } from 'graphql';
import { connectionOf } from './connections.js';
import type { RootOperation } from './document.js';

/**
 * How a function pages, for helpers that fetch every page: present when the root field returns a Relay
 * connection and takes `first` and `after`. Paths are relative to the function's result.
 */
export interface RelayPagination {
  style: 'relay';
  /** The argument that sets the page size. */
  pageSizeArgument: 'first';
  /** The argument that takes the previous page's end cursor. */
  cursorArgument: 'after';
  /** Where the page's items are: `nodes`, or `edges` whose entries hold a `node`. */
  items: 'nodes' | 'edges';
  hasNextPage: 'pageInfo.hasNextPage';
  endCursor: 'pageInfo.endCursor';
}

/** Queries read, mutations write (so approvals, plans and policies treat them as changes). */
export function metadataOf(operation: RootOperation, field: GraphQLField<unknown, unknown>): ToolMetadata {
  const metadata: ToolMetadata = {
    operationType: operation === 'query' ? 'read' : 'write',
    tags: [operation],
    graphqlOperation: operation,
    graphqlField: field.name,
    returnType: String(field.type),
  };
  if (field.deprecationReason) metadata.deprecated = true;
  const pagination = paginationOf(field);
  if (pagination !== undefined) metadata.pagination = pagination;
  return metadata;
}

function paginationOf(field: GraphQLField<unknown, unknown>): RelayPagination | undefined {
  const connection = connectionOf(getNamedType(field.type));
  if (connection === undefined) return undefined;
  const names = new Set(field.args.map((arg) => arg.name));
  if (!names.has('first') || !names.has('after')) return undefined;
  return {
    style: 'relay',
    pageSizeArgument: 'first',
    cursorArgument: 'after',
    items: connection.items,
    hasNextPage: 'pageInfo.hasNextPage',
    endCursor: 'pageInfo.endCursor',
  };
}
