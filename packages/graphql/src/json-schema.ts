import type { JSONSchema } from '@agent-tool-protocol/protocol';
import {
  type GraphQLEnumType,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLScalarType,
  type GraphQLSchema,
  type GraphQLUnionType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
} from 'graphql';

/** Custom scalars whose name says they travel as strings (dates, URLs, ids, HTML, …). */
const STRING_LIKE_SCALAR =
  /(Date|Time|URI|URL|Url|HTML|Html|Email|UUID|Uuid|ID|Id|String|Cursor|Base64|Hex)$/;

/**
 * Converts GraphQL types to JSON Schema. Named types (enums, input objects, object types, interfaces,
 * unions) become shared `definitions` referenced as `#/$defs/Name`, so recursive types stay finite and
 * the catalog declares each once.
 *
 * Output object fields are all optional: a call returns only the fields it selected.
 */
export class TypeConverter {
  readonly definitions: Record<string, JSONSchema> = {};

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly scalars: Record<string, JSONSchema>,
  ) {}

  input(type: GraphQLInputType): JSONSchema {
    if (isNonNullType(type)) return this.inputNonNull(type.ofType);
    return orNull(this.inputNonNull(type));
  }

  output(type: GraphQLOutputType): JSONSchema {
    if (isNonNullType(type)) return this.outputNonNull(type.ofType);
    return orNull(this.outputNonNull(type));
  }

  private inputNonNull(type: GraphQLInputType): JSONSchema {
    if (isListType(type)) return { type: 'array', items: this.input(type.ofType) };
    if (isScalarType(type)) return this.scalar(type, 'input');
    if (isEnumType(type)) return this.ref(type, () => enumSchema(type));
    if (isInputObjectType(type)) return this.ref(type, () => this.inputObject(type));
    return {};
  }

  private outputNonNull(type: GraphQLOutputType): JSONSchema {
    if (isListType(type)) return { type: 'array', items: this.output(type.ofType) };
    if (isScalarType(type)) return this.scalar(type, 'output');
    if (isEnumType(type)) return this.ref(type, () => enumSchema(type));
    if (isObjectType(type)) return this.ref(type, () => this.objectType(type));
    if (isInterfaceType(type)) return this.ref(type, () => this.interfaceType(type));
    if (isUnionType(type)) return this.ref(type, () => this.unionType(type));
    return {};
  }

  private scalar(type: GraphQLScalarType, direction: 'input' | 'output'): JSONSchema {
    switch (type.name) {
      case 'Int':
        return { type: 'integer' };
      case 'Float':
        return { type: 'number' };
      case 'Boolean':
        return { type: 'boolean' };
      case 'String':
        return { type: 'string' };
      case 'ID':
        // An ID is always serialized as a string; as input an integer is accepted too.
        return direction === 'input' ? { type: ['string', 'integer'] } : { type: 'string' };
    }
    const configured = this.scalars[type.name];
    if (configured !== undefined) return { ...configured };
    const description = type.description ? `${type.name}: ${firstLine(type.description)}` : type.name;
    if (STRING_LIKE_SCALAR.test(type.name)) return { type: 'string', description };
    return { description };
  }

  /** A `$ref` to the named type's definition, created on first use (placeholder first: types recurse). */
  private ref(type: GraphQLNamedType, build: () => JSONSchema): JSONSchema {
    if (!(type.name in this.definitions)) {
      this.definitions[type.name] = {};
      Object.assign(this.definitions[type.name]!, build());
    }
    return { $ref: `#/$defs/${type.name}` };
  }

  private inputObject(type: GraphQLInputObjectType): JSONSchema {
    const properties: Record<string, JSONSchema> = {};
    const required: string[] = [];
    for (const field of Object.values(type.getFields())) {
      properties[field.name] = describe(this.input(field.type), field.description, field.deprecationReason);
      if (isNonNullType(field.type) && field.defaultValue === undefined) {
        required.push(field.name);
      }
    }
    const schema: JSONSchema = { type: 'object', properties, additionalProperties: false };
    if (required.length > 0) schema.required = required;
    if (type.isOneOf) {
      schema.minProperties = 1;
      schema.maxProperties = 1;
    }
    return withDescription(
      schema,
      type.isOneOf ? joinText(type.description, 'Give exactly one field.') : type.description,
    );
  }

  private objectType(type: GraphQLObjectType): JSONSchema {
    const properties: Record<string, JSONSchema> = { __typename: { const: type.name } };
    this.addFields(type, properties);
    return withDescription({ type: 'object', properties }, type.description);
  }

  private interfaceType(type: GraphQLInterfaceType): JSONSchema {
    const names = this.schema.getPossibleTypes(type).map((possible) => possible.name);
    const properties: Record<string, JSONSchema> = {
      __typename: names.length > 0 ? { type: 'string', enum: names } : { type: 'string' },
    };
    this.addFields(type, properties);
    // Every selection of an abstract type asks for __typename (see withTypenames), so it is always there.
    return withDescription({ type: 'object', properties, required: ['__typename'] }, type.description);
  }

  private unionType(type: GraphQLUnionType): JSONSchema {
    // Each member with its __typename required: agent code narrows the union by checking it.
    const members = type.getTypes().map(
      (member): JSONSchema => ({
        allOf: [
          this.outputNonNull(member),
          { type: 'object', properties: { __typename: { const: member.name } }, required: ['__typename'] },
        ],
      }),
    );
    return withDescription(members.length > 0 ? { anyOf: members } : { type: 'object' }, type.description);
  }

  private addFields(
    type: GraphQLObjectType | GraphQLInterfaceType,
    properties: Record<string, JSONSchema>,
  ): void {
    for (const field of Object.values(type.getFields())) {
      properties[field.name] = describe(this.output(field.type), field.description, field.deprecationReason);
    }
  }
}

function enumSchema(type: GraphQLEnumType): JSONSchema {
  return withDescription(
    { type: 'string', enum: type.getValues().map((value) => value.name) },
    type.description,
  );
}

/** `T | null`: a type list gains `null`, anything else is wrapped in `anyOf`. */
function orNull(schema: JSONSchema): JSONSchema {
  const { type } = schema;
  if (typeof type === 'string' && schema.$ref === undefined && schema.enum === undefined) {
    return { ...schema, type: [type, 'null'] };
  }
  if (Array.isArray(type) && schema.$ref === undefined && schema.enum === undefined) {
    return { ...schema, type: [...type, 'null'] };
  }
  if (type === undefined && schema.$ref === undefined && schema.anyOf === undefined) return schema;
  return { anyOf: [schema, { type: 'null' }] };
}

function describe(
  schema: JSONSchema,
  description: string | undefined | null,
  deprecation: string | undefined | null,
): JSONSchema {
  const text = joinText(description, deprecation ? `Deprecated: ${deprecation}` : undefined);
  if (text === undefined) return schema;
  return { ...schema, description: text };
}

function withDescription(schema: JSONSchema, description: string | undefined | null): JSONSchema {
  return description ? { ...schema, description } : schema;
}

function joinText(...parts: (string | undefined | null)[]): string | undefined {
  const present = parts.filter((part): part is string => typeof part === 'string' && part.trim() !== '');
  return present.length > 0 ? present.join('\n\n') : undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
