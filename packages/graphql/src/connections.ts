import {
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  getNamedType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';

/** A Relay-style connection type: `pageInfo { hasNextPage endCursor }` and `nodes` or `edges { node }`. */
export interface ConnectionShape {
  /** `nodes` when the type has a `nodes` list, else `edges` (each `{ cursor, node }`). */
  items: 'nodes' | 'edges';
  /** The type of one item. */
  node: GraphQLNamedType;
}

type Composite = GraphQLObjectType | GraphQLInterfaceType;

function isComposite(type: GraphQLNamedType): type is Composite {
  return isObjectType(type) || isInterfaceType(type);
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

function field(type: Composite, name: string): GraphQLField<unknown, unknown> | undefined {
  return type.getFields()[name];
}

const cache = new WeakMap<GraphQLNamedType, ConnectionShape | null>();

/** The connection shape of a type, or undefined when it is not a Relay connection. */
export function connectionOf(type: GraphQLNamedType): ConnectionShape | undefined {
  const known = cache.get(type);
  if (known !== undefined) return known ?? undefined;
  const shape = detect(type);
  cache.set(type, shape ?? null);
  return shape;
}

function detect(type: GraphQLNamedType): ConnectionShape | undefined {
  if (!isComposite(type)) return undefined;
  const pageInfo = field(type, 'pageInfo');
  if (pageInfo === undefined) return undefined;
  const pageInfoType = getNamedType(pageInfo.type);
  if (
    !isComposite(pageInfoType) ||
    !field(pageInfoType, 'hasNextPage') ||
    !field(pageInfoType, 'endCursor')
  ) {
    return undefined;
  }
  const nodes = field(type, 'nodes');
  if (nodes !== undefined && isList(nodes.type)) return { items: 'nodes', node: getNamedType(nodes.type) };
  const edges = field(type, 'edges');
  if (edges === undefined || !isList(edges.type)) return undefined;
  const edge = getNamedType(edges.type);
  const node = isComposite(edge) ? field(edge, 'node') : undefined;
  return node === undefined ? undefined : { items: 'edges', node: getNamedType(node.type) };
}
