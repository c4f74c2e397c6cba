import type { RelayPagination, ToolMetadata } from '@agent-tool-protocol/protocol';
import { type GraphQLField, getNamedType } from 'graphql';
import { connectionOf } from './connections.js';
import type { RootOperation } from './document.js';

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

/** A root field returning a Relay connection that takes `first` and `after` pages (docs/pagination.md). */
function paginationOf(field: GraphQLField<unknown, unknown>): RelayPagination | undefined {
  const connection = connectionOf(getNamedType(field.type));
  if (connection === undefined) return undefined;
  const names = new Set(field.args.map((arg) => arg.name));
  if (!names.has('first') || !names.has('after')) return undefined;
  return {
    style: 'relay',
    items: connection.items === 'nodes' ? 'nodes' : 'edges[].node',
    cursorInput: 'after',
    pageSizeInput: 'first',
    nextCursor: 'pageInfo.endCursor',
    hasMore: 'pageInfo.hasNextPage',
  };
}
