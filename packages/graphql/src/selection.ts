import {
  type FieldNode,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  getNamedType,
  type InlineFragmentNode,
  isInterfaceType,
  isLeafType,
  isNonNullType,
  isObjectType,
  isUnionType,
  Kind,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { connectionOf } from './connections.js';

type Composite = GraphQLObjectType | GraphQLInterfaceType;

/**
 * The selection a call sends when agent code does not choose fields:
 * - every scalar and enum field of the returned type, and nested objects down to `depth` levels;
 * - deprecated fields, fields with required arguments, and types already on the path are left out;
 * - a returned Relay connection selects its scalars, `pageInfo`, and its items (`nodes`, or
 *   `edges { cursor node }`) at the same depth; connections further down are left out, because most
 *   servers need paging arguments for them (choose them with `_fields`);
 * - interfaces and unions add `__typename`; a union selects each member with an inline fragment.
 */
export function defaultSelection(type: GraphQLNamedType, depth: number): SelectionSetNode | undefined {
  if (isLeafType(type)) return undefined;
  const connection = connectionOf(type);
  if (connection !== undefined && isComposite(type)) {
    return selectionSet(connectionSelections(type, connection.items, connection.node, depth));
  }
  return selectionSet(withTypename(type, compositeSelections(type, depth, new Set())));
}

function connectionSelections(
  type: Composite,
  items: 'nodes' | 'edges',
  node: GraphQLNamedType,
  depth: number,
): SelectionNode[] {
  const selections: SelectionNode[] = leafFields(type).map((name) => fieldNode(name));
  const pageInfo = type.getFields().pageInfo!;
  const pageInfoType = getNamedType(pageInfo.type) as Composite;
  selections.push(
    fieldNode(
      'pageInfo',
      leafFields(pageInfoType).map((name) => fieldNode(name)),
    ),
  );
  const nodeSelections = isLeafType(node)
    ? undefined
    : withTypename(node, compositeSelections(node, depth, new Set()));
  if (items === 'nodes') {
    selections.push(fieldNode('nodes', nodeSelections));
  } else {
    const edge = getNamedType(type.getFields().edges!.type) as Composite;
    const edgeSelections: SelectionNode[] = [];
    if (edge.getFields().cursor !== undefined) edgeSelections.push(fieldNode('cursor'));
    edgeSelections.push(fieldNode('node', nodeSelections));
    selections.push(fieldNode('edges', edgeSelections));
  }
  return selections;
}

/** Selections of an object, interface or union type; `ancestors` are the composite types above it. */
function compositeSelections(
  type: GraphQLNamedType,
  depth: number,
  ancestors: ReadonlySet<string>,
): SelectionNode[] {
  if (isUnionType(type)) {
    // Same-named fields of different members must have the same type to be merged into one response
    // key (GraphQL's OverlappingFieldsCanBeMerged rule): a later member's field of another type is left out.
    const typeOfKey = new Map<string, string>();
    const fragments: SelectionNode[] = [];
    for (const member of type.getTypes()) {
      const fields = member.getFields();
      const selections = compositeSelections(member, depth, ancestors).filter((selection) => {
        if (selection.kind !== Kind.FIELD) return true;
        const printed = String(fields[selection.name.value]?.type);
        const earlier = typeOfKey.get(selection.name.value);
        if (earlier === undefined) typeOfKey.set(selection.name.value, printed);
        return earlier === undefined || earlier === printed;
      });
      if (selections.length > 0) fragments.push(inlineFragment(member.name, selections));
    }
    return fragments;
  }
  if (!isComposite(type)) return [];
  const path = new Set(ancestors).add(type.name);
  const selections: SelectionNode[] = [];
  for (const field of Object.values(type.getFields())) {
    if (!selectable(field)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) {
      selections.push(fieldNode(field.name));
      continue;
    }
    if (depth === 0 || path.has(named.name) || connectionOf(named) !== undefined) continue;
    const nested = compositeSelections(named, depth - 1, path);
    if (nested.length > 0) selections.push(fieldNode(field.name, withTypename(named, nested)));
  }
  return selections;
}

function selectable(field: GraphQLField<unknown, unknown>): boolean {
  if (field.deprecationReason) return false;
  return !field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
}

function leafFields(type: Composite): string[] {
  return Object.values(type.getFields())
    .filter((field) => selectable(field) && isLeafType(getNamedType(field.type)))
    .map((field) => field.name);
}

/** Abstract types get `__typename` first; an empty selection becomes `__typename` (never `{}`). */
function withTypename(type: GraphQLNamedType, selections: SelectionNode[]): SelectionNode[] {
  if (isInterfaceType(type) || isUnionType(type) || selections.length === 0) {
    return [fieldNode('__typename'), ...selections];
  }
  return selections;
}

function isComposite(type: GraphQLNamedType): type is Composite {
  return isObjectType(type) || isInterfaceType(type);
}

function selectionSet(selections: readonly SelectionNode[]): SelectionSetNode {
  return { kind: Kind.SELECTION_SET, selections };
}

function fieldNode(name: string, selections?: readonly SelectionNode[]): FieldNode {
  return {
    kind: Kind.FIELD,
    name: { kind: Kind.NAME, value: name },
    ...(selections === undefined ? {} : { selectionSet: selectionSet(selections) }),
  };
}

function inlineFragment(typeName: string, selections: readonly SelectionNode[]): InlineFragmentNode {
  return {
    kind: Kind.INLINE_FRAGMENT,
    typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: typeName } },
    selectionSet: selectionSet(selections),
  };
}
