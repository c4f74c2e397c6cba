import type { JSONSchema } from '@agent-tool-protocol/protocol';
import type { OperationModel, ParameterModel } from './model.js';
import type { SchemaConverter } from './schema.js';

/** A parameter and the input key it is read from. */
export interface InputParameter extends ParameterModel {
  key: string;
}

export interface InputShape {
  schema: JSONSchema;
  parameters: InputParameter[];
  /** Input key of the request body (`body`, or `requestBody` when a parameter is named `body`). */
  bodyKey: string | undefined;
}

/**
 * The input object of a function: each parameter under its own name (a later parameter that reuses a name
 * in another location becomes `<in>_<name>`), the request body under `body`.
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
  let bodyKey: string | undefined;
  if (operation.body) {
    bodyKey = 'body' in properties ? 'requestBody' : 'body';
    const schema =
      operation.body.schema === undefined
        ? {}
        : converter.convert(operation.body.schema, `${operation.where} requestBody`);
    const note = `Request body (${operation.body.contentType}).`;
    properties[bodyKey] = withDescription(
      schema,
      operation.body.description ? `${operation.body.description}\n${note}` : note,
    );
    if (operation.body.required) required.push(bodyKey);
  }
  const schema: JSONSchema = { type: 'object', properties, additionalProperties: false };
  if (required.length > 0) schema.required = required;
  return { schema, parameters, bodyKey };
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
