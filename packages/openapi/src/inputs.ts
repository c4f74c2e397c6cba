import type { JSONSchema } from '@agent-tool-protocol/protocol';
import type { OperationModel, ParameterModel } from './model.js';
import type { SchemaConverter } from './schema.js';

/** A parameter and the input key it is read from. */
export interface InputParameter extends ParameterModel {
  key: string;
}

/** How the request body is read from the input. */
export type BodyInput =
  /** The body's top-level fields are input keys of their own (`inputKey` → body field). */
  | {
      mode: 'flat';
      fields: Map<string, string>;
      /** The body is required: sent (possibly `{}`) even when no field is given. */
      required: boolean;
      nested: { key: string; required: string[] } | undefined;
    }
  /** The whole body is one input key (`body`, or `requestBody` when a parameter is named `body`). */
  | { mode: 'whole'; key: string };

export interface InputShape {
  /** The input's JSON Schema: the flat shape, or `anyOf` of the flat and the nested-body shapes. */
  schema: JSONSchema;
  /** The flat shape's properties by input key (parameters and flat body fields), whichever `schema` is. */
  properties: Record<string, JSONSchema>;
  parameters: InputParameter[];
  body: BodyInput | undefined;
  /** Every input key the function accepts. */
  keys: Set<string>;
  /** The keys the (flat or whole-body) input must have. */
  required: string[];
}

/**
 * The input object of a function, flat as Octokit and the original ATP loader take it: each parameter under
 * its own name (a later parameter that reuses a name in another location becomes `<in>_<name>`), and each
 * top-level field of an object request body under its own name. A body field whose name a parameter already
 * uses is taken as `body_<name>` (docs/openapi.md). Bodies that are not plain objects (arrays, strings,
 * binary, unions, maps) stay whole under `body`.
 *
 * Where no input key is named `body`, the earlier nested form `{ ...parameters, body: {...} }` is accepted
 * too, and the schema says so (`anyOf` of the two shapes), so input validation and declarations match.
 */
export function buildInput(operation: OperationModel, converter: SchemaConverter): InputShape {
  const properties: Record<string, JSONSchema> = {};
  const required: string[] = [];
  const parameters: InputParameter[] = [];
  for (const parameter of operation.parameters) {
    const key = parameter.name in properties ? `${parameter.in}_${parameter.name}` : parameter.name;
    const where = `${operation.where} parameter ${parameter.name}`;
    const schema = parameter.schema === undefined ? {} : converter.convert(parameter.schema, where);
    properties[key] = withDescription(schema, parameter.description);
    if (parameter.required) required.push(key);
    parameters.push({ ...parameter, key });
  }
  if (!operation.body) return finish(properties, required, parameters, undefined);

  const bodySchema =
    operation.body.schema === undefined
      ? {}
      : converter.convert(operation.body.schema, `${operation.where} requestBody`);
  const note = `Request body (${operation.body.contentType}).`;
  const bodyDescription = operation.body.description ? `${operation.body.description}\n${note}` : note;
  const objectSchema =
    operation.body.kind === 'binary' || operation.body.kind === 'text'
      ? undefined
      : plainObject(bodySchema, converter.definitions);

  if (objectSchema === undefined) {
    const key = 'body' in properties ? 'requestBody' : 'body';
    properties[key] = withDescription(bodySchema, bodyDescription);
    if (operation.body.required) required.push(key);
    return finish(properties, required, parameters, { mode: 'whole', key });
  }

  const flatProperties = { ...properties };
  const flatRequired = [...required];
  const fields = new Map<string, string>();
  const bodyRequired = new Set(
    operation.body.required && Array.isArray(objectSchema.required)
      ? (objectSchema.required as string[])
      : [],
  );
  for (const [field, schema] of Object.entries(objectSchema.properties as Record<string, JSONSchema>)) {
    let key = field in flatProperties ? `body_${field}` : field;
    while (key in flatProperties) key = `body_${key}`;
    flatProperties[key] = schema;
    fields.set(key, field);
    if (bodyRequired.has(field)) flatRequired.push(key);
  }
  const flat = objectOf(flatProperties, flatRequired);
  const keys = new Set(Object.keys(flatProperties));
  if ('body' in flatProperties) {
    const body: BodyInput = { mode: 'flat', fields, required: operation.body.required, nested: undefined };
    return { schema: flat, properties: flatProperties, parameters, body, keys, required: flatRequired };
  }
  const nestedProperties = { ...properties, body: withDescription(bodySchema, bodyDescription) };
  const nestedRequired = operation.body.required ? [...required, 'body'] : required;
  const nested = objectOf(nestedProperties, nestedRequired);
  keys.add('body');
  const body: BodyInput = {
    mode: 'flat',
    fields,
    required: operation.body.required,
    nested: { key: 'body', required: nestedRequired },
  };
  return {
    schema: { anyOf: [flat, nested] },
    properties: flatProperties,
    parameters,
    body,
    keys,
    required: flatRequired,
  };
}

function finish(
  properties: Record<string, JSONSchema>,
  required: string[],
  parameters: InputParameter[],
  body: BodyInput | undefined,
): InputShape {
  const keys = new Set(Object.keys(properties));
  return { schema: objectOf(properties, required), properties, parameters, body, keys, required };
}

function objectOf(properties: Record<string, JSONSchema>, required: string[]): JSONSchema {
  const schema: JSONSchema = { type: 'object', properties, additionalProperties: false };
  if (required.length > 0) schema.required = required;
  return schema;
}

/**
 * The body schema when it is a plain object of named fields (following one `$ref` into the definitions):
 * `properties`, no union or intersection, no open map of further keys. Otherwise undefined.
 */
function plainObject(schema: JSONSchema, definitions: Record<string, JSONSchema>): JSONSchema | undefined {
  let target = schema;
  const ref = typeof target.$ref === 'string' ? target.$ref.match(/^#\/\$defs\/(.+)$/)?.[1] : undefined;
  if (ref !== undefined) target = definitions[decodeURIComponent(ref)] ?? {};
  const properties = target.properties;
  if (typeof properties !== 'object' || properties === null || Object.keys(properties).length === 0)
    return undefined;
  // A nullable object (`type: ['object', 'null']`) is still taken flat; its null form stays with `body`.
  const types =
    target.type === undefined ? ['object'] : Array.isArray(target.type) ? target.type : [target.type];
  if (!types.includes('object') || types.some((type) => type !== 'object' && type !== 'null'))
    return undefined;
  if (['oneOf', 'anyOf', 'allOf', 'not', 'if', 'patternProperties'].some((k) => target[k] !== undefined))
    return undefined;
  const extra = target.additionalProperties;
  if (extra !== undefined && extra !== false) return undefined;
  return target;
}

function withDescription(schema: JSONSchema, description: string | undefined): JSONSchema {
  if (description === undefined || typeof schema.description === 'string') return schema;
  return { ...schema, description };
}

/** The return type: the success response's schema (`null` for 204/205, anything when none is declared). */
export function buildOutput(operation: OperationModel, converter: SchemaConverter): JSONSchema {
  const { response } = operation;
  const where = `${operation.where} response ${response.status}`;
  switch (response.kind) {
    case 'none':
      // 204/205 have no body; other responses declared without content may still send one.
      return response.status === '204' || response.status === '205' ? { type: 'null' } : {};
    case 'text':
      return { type: 'string' };
    case 'binary':
      return {
        type: 'string',
        contentEncoding: 'base64',
        description: `Base64 of the ${response.contentType} body.`,
      };
    default:
      return response.schema === undefined ? {} : converter.convert(response.schema, where);
  }
}
