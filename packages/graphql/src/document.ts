import { ErrorCode, ToolCallError, ValidationError } from '@agent-tool-protocol/protocol';
import {
  type ArgumentNode,
  type DocumentNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLSchema,
  isAbstractType,
  Kind,
  type OperationDefinitionNode,
  OperationTypeNode,
  parse,
  parseType,
  type SelectionSetNode,
  TypeInfo,
  type VariableDefinitionNode,
  validate,
  visit,
  visitWithTypeInfo,
} from 'graphql';

export type RootOperation = 'query' | 'mutation';

/**
 * The operation for one call: `query name($a: T, …) { field(a: $a, …) { selection } }`. Only arguments
 * the call supplies are declared; their values travel in `variables`, never inside the document.
 */
export function operationDocument(
  operation: RootOperation,
  operationName: string,
  field: GraphQLField<unknown, unknown>,
  supplied: readonly string[],
  selection: SelectionSetNode | undefined,
): DocumentNode {
  const args = field.args.filter((arg) => supplied.includes(arg.name));
  const variableDefinitions: VariableDefinitionNode[] = args.map((arg) => ({
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: arg.name } },
    type: parseType(String(arg.type), { noLocation: true }),
  }));
  const argumentNodes: ArgumentNode[] = args.map((arg) => ({
    kind: Kind.ARGUMENT,
    name: { kind: Kind.NAME, value: arg.name },
    value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: arg.name } },
  }));
  const definition: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: operation === 'query' ? OperationTypeNode.QUERY : OperationTypeNode.MUTATION,
    name: { kind: Kind.NAME, value: operationName },
    variableDefinitions,
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [
        {
          kind: Kind.FIELD,
          name: { kind: Kind.NAME, value: field.name },
          arguments: argumentNodes,
          ...(selection === undefined ? {} : { selectionSet: selection }),
        },
      ],
    },
  };
  return { kind: Kind.DOCUMENT, definitions: [definition] };
}

/**
 * Adds `__typename` to every selection of an interface or union that lacks it, so a result always says
 * which type it is (the declarations promise it, and agent code can tell union members apart).
 */
export function withTypenames(schema: GraphQLSchema, document: DocumentNode): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet(node) {
        const parent = typeInfo.getParentType();
        if (parent === null || !isAbstractType(parent)) return undefined;
        const present = node.selections.some(
          (selection) =>
            selection.kind === Kind.FIELD && (selection.alias ?? selection.name).value === '__typename',
        );
        if (present) return undefined;
        const typename = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } } as const;
        return { ...node, selections: [typename, ...node.selections] };
      },
    }),
  );
}

/**
 * Parses the `_fields` of a call — `'id,name,reviews{rating}'`, GraphQL selection syntax, commas
 * optional — as one selection set. Anything that is not a plain selection (a second operation, a
 * fragment definition) is refused before validation.
 */
export function parseFieldSelection(text: string, what: string): SelectionSetNode {
  let document: DocumentNode;
  try {
    document = parse(`{${text}}`, { noLocation: true });
  } catch (error) {
    const reason = error instanceof GraphQLError ? error.message : String(error);
    throw invalidFields(what, text, reason);
  }
  const [only, ...rest] = document.definitions;
  if (only === undefined || rest.length > 0 || only.kind !== Kind.OPERATION_DEFINITION) {
    throw invalidFields(what, text, 'it must be a list of fields, e.g. "id,name,owner{login}"');
  }
  return only.selectionSet;
}

/** Validates a built document against the schema; problems name the field (graphql-js suggests fixes). */
export function checkDocument(
  schema: GraphQLSchema,
  document: DocumentNode,
  what: string,
  text: string,
): void {
  const errors = validate(schema, document, undefined, { maxErrors: 10 });
  if (errors.length === 0) return;
  throw invalidFields(what, text, errors.map((error) => error.message).join(' '));
}

/** The generated default selection must validate; when it does not, that is a bug here, not the caller's. */
export function checkDefaultDocument(schema: GraphQLSchema, document: DocumentNode, what: string): void {
  const errors = validate(schema, document, undefined, { maxErrors: 10 });
  if (errors.length === 0) return;
  throw new ToolCallError(
    `${what}: the default selection does not validate against the schema (${errors[0]!.message}); choose fields with _fields`,
    { code: ErrorCode.INTERNAL_ERROR },
  );
}

export function selectionDepth(selection: SelectionSetNode): number {
  let deepest = 0;
  for (const node of selection.selections) {
    const nested = node.kind === Kind.FRAGMENT_SPREAD ? undefined : node.selectionSet;
    if (nested === undefined) continue;
    deepest = Math.max(deepest, (node.kind === Kind.FIELD ? 1 : 0) + selectionDepth(nested));
  }
  return deepest;
}

function invalidFields(what: string, text: string, reason: string): ValidationError {
  return new ValidationError(`${what}: invalid _fields ${JSON.stringify(text)}: ${reason}`, [
    { path: '_fields', message: reason },
  ]);
}
