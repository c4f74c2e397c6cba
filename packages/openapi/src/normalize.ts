import { ConfigError } from '@agent-tool-protocol/protocol';
import { bodyKind, pickMediaType, responseKind } from './media.js';
import {
  type BodyModel,
  type EncodingModel,
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
import { normalizeSwagger2 } from './normalize-swagger2.js';
import { deref, isRecord } from './pointer.js';
import type { Document } from './source.js';

/** Reads a parsed OpenAPI 3.x or Swagger 2.0 document into the loader's operation model. */
export function normalizeDocument(document: Document, what: string): SpecModel {
  if (typeof document.swagger === 'string') {
    if (!document.swagger.startsWith('2.')) {
      throw new ConfigError(`Unsupported Swagger version "${document.swagger}" in ${what} (expected 2.0)`);
    }
    return normalizeSwagger2(document);
  }
  if (typeof document.openapi !== 'string' || !/^3\.[01]\./.test(document.openapi)) {
    throw new ConfigError(
      `${what} is not an OpenAPI 3.0/3.1 or Swagger 2.0 document: "openapi" is ${JSON.stringify(document.openapi ?? null)}`,
    );
  }
  const info = isRecord(document.info) ? document.info : {};
  const components = isRecord(document.components) ? document.components : {};
  return {
    version: document.openapi.startsWith('3.1') ? '3.1' : '3.0',
    title: typeof info.title === 'string' ? info.title : undefined,
    description: typeof info.description === 'string' ? info.description : undefined,
    servers: readServers(document.servers),
    operations: readOperations(document),
    securitySchemes: readSecuritySchemes(document, components.securitySchemes),
  };
}

function readOperations(document: Document): OperationModel[] {
  const paths = isRecord(document.paths) ? document.paths : {};
  const rootSecurity = Array.isArray(document.security) ? document.security : [];
  const operations: OperationModel[] = [];
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = deref(document, rawItem, `paths.${path}`);
    if (!isRecord(item)) continue;
    const pathParameters = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isRecord(operation)) continue;
      const where = `${method.toUpperCase()} ${path}`;
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: typeof operation.operationId === 'string' ? operation.operationId : undefined,
        summary: typeof operation.summary === 'string' ? operation.summary : undefined,
        description: typeof operation.description === 'string' ? operation.description : undefined,
        tags: Array.isArray(operation.tags) ? operation.tags.filter((t) => typeof t === 'string') : [],
        deprecated: operation.deprecated === true,
        parameters: mergeParameters(
          document,
          pathParameters,
          Array.isArray(operation.parameters) ? operation.parameters : [],
          where,
        ).map((p) => readParameter(p, where)),
        // fetch cannot send a body with GET or HEAD.
        body:
          method === 'get' || method === 'head'
            ? undefined
            : readRequestBody(document, operation.requestBody, where),
        response: readResponse(document, operation.responses, where),
        security: (Array.isArray(operation.security) ? operation.security : rootSecurity).filter(
          isRecord,
        ) as Record<string, string[]>[],
        noAuth: Array.isArray(operation.security) && operation.security.length === 0,
        servers: readServers(operation.servers ?? item.servers),
        extensions: { ...extensionsOf(item), ...extensionsOf(operation) },
        where,
      });
    }
  }
  return operations;
}

function readParameter(parameter: Record<string, unknown>, where: string): ParameterModel {
  const location = parameter.in as ParameterLocation;
  if (!['path', 'query', 'header', 'cookie'].includes(location)) {
    throw new ConfigError(
      `Parameter "${String(parameter.name)}" at ${where} has invalid "in": ${String(location)}`,
    );
  }
  const content = isRecord(parameter.content) ? parameter.content : undefined;
  const mediaType = content ? pickMediaType(Object.keys(content)) : undefined;
  const media = mediaType && content && isRecord(content[mediaType]) ? content[mediaType] : undefined;
  const style =
    typeof parameter.style === 'string'
      ? parameter.style
      : location === 'query' || location === 'cookie'
        ? 'form'
        : 'simple';
  return {
    name: parameter.name as string,
    in: location,
    required: location === 'path' || parameter.required === true,
    schema: media ? media.schema : parameter.schema,
    description: typeof parameter.description === 'string' ? parameter.description : undefined,
    style,
    explode: typeof parameter.explode === 'boolean' ? parameter.explode : style === 'form',
    allowReserved: location === 'query' && parameter.allowReserved === true,
    json: media !== undefined,
  };
}

function readRequestBody(document: unknown, raw: unknown, where: string): BodyModel | undefined {
  if (raw === undefined) return undefined;
  const body = deref(document, raw, `${where} requestBody`);
  if (!isRecord(body) || !isRecord(body.content)) return undefined;
  const contentType = pickMediaType(Object.keys(body.content));
  if (contentType === undefined) return undefined;
  const media = isRecord(body.content[contentType]) ? body.content[contentType] : {};
  const encoding: Record<string, EncodingModel> = {};
  if (isRecord(media.encoding)) {
    for (const [name, value] of Object.entries(media.encoding)) {
      if (!isRecord(value)) continue;
      encoding[name] = {
        style: typeof value.style === 'string' ? value.style : undefined,
        explode: typeof value.explode === 'boolean' ? value.explode : undefined,
        contentType: typeof value.contentType === 'string' ? value.contentType : undefined,
      };
    }
  }
  return {
    contentType,
    kind: bodyKind(contentType),
    required: body.required === true,
    schema: media.schema,
    description: typeof body.description === 'string' ? body.description : undefined,
    encoding,
  };
}

function readResponse(document: unknown, raw: unknown, where: string): ResponseModel {
  const responses = isRecord(raw) ? raw : {};
  const status = pickSuccessStatus(Object.keys(responses));
  if (status === undefined) return { status: '200', kind: 'json' };
  const response = deref(document, responses[status], `${where} responses.${status}`);
  const headers = responseHeaderNames(response);
  const content = isRecord(response) && isRecord(response.content) ? response.content : undefined;
  const contentType = content ? pickMediaType(Object.keys(content)) : undefined;
  if (!content || contentType === undefined) return { status, kind: 'none', headers };
  const media = isRecord(content[contentType]) ? content[contentType] : {};
  return { status, kind: responseKind(contentType), contentType, schema: media.schema, headers };
}

export function readServers(raw: unknown): ServerModel[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isRecord).map((server) => {
    const variables: Record<string, string> = {};
    if (isRecord(server.variables)) {
      for (const [name, variable] of Object.entries(server.variables)) {
        if (isRecord(variable) && variable.default !== undefined) variables[name] = String(variable.default);
      }
    }
    return { url: String(server.url ?? '/'), variables };
  });
}

function readSecuritySchemes(document: unknown, raw: unknown): Record<string, SecuritySchemeModel> {
  const schemes: Record<string, SecuritySchemeModel> = {};
  if (!isRecord(raw)) return schemes;
  for (const [name, value] of Object.entries(raw)) {
    const scheme = deref(document, value, `components.securitySchemes.${name}`);
    if (!isRecord(scheme)) continue;
    const flows = isRecord(scheme.flows) ? scheme.flows : {};
    const clientCredentials = isRecord(flows.clientCredentials) ? flows.clientCredentials : {};
    schemes[name] = {
      type: String(scheme.type),
      scheme: typeof scheme.scheme === 'string' ? scheme.scheme.toLowerCase() : undefined,
      in: typeof scheme.in === 'string' ? scheme.in : undefined,
      name: typeof scheme.name === 'string' ? scheme.name : undefined,
      tokenUrl: typeof clientCredentials.tokenUrl === 'string' ? clientCredentials.tokenUrl : undefined,
    };
  }
  return schemes;
}
