import {
  buildASTSchema,
  type DefinitionNode,
  type DocumentNode,
  type GraphQLSchema,
  Kind,
  parse,
} from 'graphql';

export interface SdlSchema {
  schema: GraphQLSchema;
  /** `Type.field` of every repeated field or enum value that was dropped (the first definition wins). */
  duplicates: string[];
}

/**
 * Builds a schema from SDL. Real published schemas are not always valid SDL — GitHub's defines
 * `EnterpriseOwnerInfo.repositoryDeployKeySetting` twice — so a field or enum value defined again is
 * dropped (and reported) instead of failing the whole schema.
 */
export function schemaFromSdl(sdl: string): SdlSchema {
  const document = parse(sdl, { noLocation: true });
  const { document: deduplicated, duplicates } = withoutDuplicateMembers(document);
  return { schema: buildASTSchema(deduplicated), duplicates };
}

type MemberList = readonly { readonly name: { readonly value: string } }[];

function withoutDuplicateMembers(document: DocumentNode): { document: DocumentNode; duplicates: string[] } {
  const seen = new Map<string, Set<string>>();
  const duplicates: string[] = [];
  const keep = (typeName: string, members: MemberList | undefined): MemberList | undefined => {
    if (members === undefined) return undefined;
    let names = seen.get(typeName);
    if (names === undefined) {
      names = new Set();
      seen.set(typeName, names);
    }
    const kept = members.filter((member) => {
      if (!names.has(member.name.value)) {
        names.add(member.name.value);
        return true;
      }
      duplicates.push(`${typeName}.${member.name.value}`);
      return false;
    });
    return kept.length === members.length ? members : kept;
  };
  const definitions = document.definitions.map((definition): DefinitionNode => {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      case Kind.INPUT_OBJECT_TYPE_EXTENSION: {
        const fields = keep(definition.name.value, definition.fields);
        return fields === definition.fields ? definition : ({ ...definition, fields } as DefinitionNode);
      }
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_EXTENSION: {
        const values = keep(definition.name.value, definition.values);
        return values === definition.values ? definition : ({ ...definition, values } as DefinitionNode);
      }
      default:
        return definition;
    }
  });
  return duplicates.length === 0
    ? { document, duplicates }
    : { document: { ...document, definitions }, duplicates };
}
