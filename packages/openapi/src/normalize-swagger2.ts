import { ConfigError } from '@agent-tool-protocol/protocol';
import { bodyKind, pickMediaType, responseKind } from './media.js';
import {
  type BodyModel,
  HTTP_METHODS,
  type OperationModel,
  type ParameterLocation,
  type ParameterModel,
  type ResponseModel,
  type SecuritySchemeModel,
  type ServerModel,
  type SpecModel,
} from './model.js';
import { extensionsOf, mergeParameters, pickSuccessStatus, responseHeaderNames } from './normalize-shared.js';
import { deref, isRecord } from './pointer.js';
import type { Document } from './source.js';

/** Swagger 2.0 `collectionFormat` → OpenAPI 3 style/explode. */
const COLLECTION_FORMATS: Record<string, { style: string; explode: boolean }> = {
  csv: { style: 'form', explode: false },
  multi: { style: 'form', explode: true },
  ssv: { style: 'spaceDelimited', explode: false },
  pipes: { style: 'pipeDelimited', explode: false },
  tsv: { style: 'tabDelimited', explode: false },
};

/** Keys of a 2.0 non-body parameter that belong to its schema. */
const SCHEMA_KEYS = [
  'type',
  'format',
  'items',
  'enum',
  'default',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'multipleOf',
  'x-nullable',
];

export function normalizeSwagger2(document: Document): SpecModel {
  const info = isRecord(document.info) ? document.info : {};
  const globalConsumes = stringList(document.consumes);
  const globalProduces = stringList(document.produces);
  const rootSecurity = Array.isArray(document.security) ? document.security : [];
  const paths = isRecord(document.paths) ? document.paths : {};
  const operations: OperationModel[] = [];
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = deref(document, rawItem, `paths.${path}`);
    if (!isRecord(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isRecord(operation) || method === 'trace') continue;
      const where = `${method.toUpperCase()} ${path}`;
      const parameters = mergeParameters(
        document,
        Array.isArray(item.parameters) ? item.parameters : [],
        Array.isArray(operation.parameters) ? operation.parameters : [],
        where,
      );
      const consumes = stringList(operation.consumes) ?? globalConsumes ?? ['application/json'];
      const produces = stringList(operation.produces) ?? globalProduces ?? ['application/json'];
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: typeof operation.operationId === 'string' ? operation.operationId : undefined,
        summary: typeof operation.summary === 'string' ? operation.summary : undefined,
        description: typeof operation.description === 'string' ? operation.description : undefined,
        tags: Array.isArray(operation.tags) ? operation.tags.filter((t) => typeof t === 'string') : [],
        deprecated: operation.deprecated === true,
        parameters: parameters
          .filter((p) => p.in !== 'body' && p.in !== 'formData')
          .map((p) => readParameter(p, where)),
        body: readBody(parameters, consumes),
        response: readResponse(document, operation.responses, produces, where),
        security: (Array.isArray(operation.security) ? operation.security : rootSecurity).filter(
          isRecord,
        ) as Record<string, string[]>[],
        noAuth: Array.isArray(operation.security) && operation.security.length === 0,
        servers: [],
        extensions: { ...extensionsOf(item), ...extensionsOf(operation) },
        where,
      });
    }
  }
  return {
    version: '2.0',
    title: typeof info.title === 'string' ? info.title : undefined,
    description: typeof info.description === 'string' ? info.description : undefined,
    servers: readServers(document),
    operations,
    securitySchemes: readSecurityDefinitions(document.securityDefinitions),
  };
}

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.filter((v): v is string => typeof v === 'string');
}

function parameterSchema(parameter: Record<string, unknown>): Record<string, unknown> {
  const schema: Record<string, unknown> = {};
  for (const key of SCHEMA_KEYS) if (key in parameter) schema[key] = parameter[key];
  return schema;
}

function readParameter(parameter: Record<string, unknown>, where: string): ParameterModel {
  const location = parameter.in as ParameterLocation;
  if (!['path', 'query', 'header'].includes(location)) {
    throw new ConfigError(
      `Parameter "${String(parameter.name)}" at ${where} has invalid "in": ${String(location)}`,
    );
  }
  const format = COLLECTION_FORMATS[String(parameter.collectionFormat ?? 'csv')] ?? COLLECTION_FORMATS.csv!;
  const isQuery = location === 'query';
  return {
    name: String(parameter.name),
    in: location,
    required: location === 'path' || parameter.required === true,
    schema: parameterSchema(parameter),
    description: typeof parameter.description === 'string' ? parameter.description : undefined,
    style: isQuery ? format.style : 'simple',
    explode: isQuery ? format.explode : false,
    allowReserved: false,
    json: false,
  };
}

function readBody(parameters: Record<string, unknown>[], consumes: string[]): BodyModel | undefined {
  const bodyParameter = parameters.find((p) => p.in === 'body');
  if (bodyParameter) {
    const contentType = pickMediaType(consumes.filter((c) => bodyKind(c) !== 'form')) ?? 'application/json';
    return {
      contentType,
      kind: bodyKind(contentType),
      required: bodyParameter.required === true,
      schema: bodyParameter.schema,
      description: typeof bodyParameter.description === 'string' ? bodyParameter.description : undefined,
      encoding: {},
    };
  }
  const formParameters = parameters.filter((p) => p.in === 'formData');
  if (formParameters.length === 0) return undefined;
  const hasFile = formParameters.some((p) => p.type === 'file');
  const multipart = hasFile || consumes.some((c) => c.startsWith('multipart/form-data'));
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  const encoding: BodyModel['encoding'] = {};
  for (const parameter of formParameters) {
    const name = String(parameter.name);
    properties[name] = {
      ...parameterSchema(parameter),
      ...(typeof parameter.description === 'string' ? { description: parameter.description } : {}),
    };
    if (parameter.required === true) required.push(name);
    const format = COLLECTION_FORMATS[String(parameter.collectionFormat ?? 'csv')];
    if (parameter.type === 'array' && format)
      encoding[name] = { style: format.style, explode: format.explode };
  }
  return {
    contentType: multipart ? 'multipart/form-data' : 'application/x-www-form-urlencoded',
    kind: multipart ? 'multipart' : 'form',
    required: required.length > 0,
    schema: { type: 'object', properties, ...(required.length > 0 ? { required } : {}) },
    encoding,
  };
}

function readResponse(document: unknown, raw: unknown, produces: string[], where: string): ResponseModel {
  const responses = isRecord(raw) ? raw : {};
  const status = pickSuccessStatus(Object.keys(responses));
  if (status === undefined) return { status: '200', kind: 'json' };
  const response = deref(document, responses[status], `${where} responses.${status}`);
  const headers = responseHeaderNames(response);
  if (!isRecord(response) || response.schema === undefined) return { status, kind: 'none', headers };
  const contentType = pickMediaType(produces) ?? 'application/json';
  return { status, kind: responseKind(contentType), contentType, schema: response.schema, headers };
}

function readServers(document: Document): ServerModel[] {
  if (typeof document.host !== 'string') {
    return typeof document.basePath === 'string' ? [{ url: document.basePath, variables: {} }] : [];
  }
  const schemes = stringList(document.schemes) ?? ['https'];
  const scheme = schemes.includes('https') ? 'https' : schemes[0]!;
  const basePath = typeof document.basePath === 'string' ? document.basePath : '';
  return [{ url: `${scheme}://${document.host}${basePath}`, variables: {} }];
}

function readSecurityDefinitions(raw: unknown): Record<string, SecuritySchemeModel> {
  const schemes: Record<string, SecuritySchemeModel> = {};
  if (!isRecord(raw)) return schemes;
  for (const [name, scheme] of Object.entries(raw)) {
    if (!isRecord(scheme)) continue;
    const type = String(scheme.type);
    schemes[name] = {
      type: type === 'basic' ? 'http' : type,
      scheme: type === 'basic' ? 'basic' : undefined,
      in: typeof scheme.in === 'string' ? scheme.in : undefined,
      name: typeof scheme.name === 'string' ? scheme.name : undefined,
      tokenUrl:
        scheme.flow === 'application' && typeof scheme.tokenUrl === 'string' ? scheme.tokenUrl : undefined,
    };
  }
  return schemes;
}
