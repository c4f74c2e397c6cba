export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';
export type BodyKind = 'json' | 'form' | 'multipart' | 'text' | 'binary';
export type ResponseKind = 'json' | 'text' | 'binary' | 'none';

export interface ParameterModel {
  name: string;
  in: ParameterLocation;
  required: boolean;
  /** The raw (OpenAPI dialect) schema. */
  schema: unknown;
  description?: string;
  style: string;
  explode: boolean;
  allowReserved: boolean;
  /** Declared with `content: {application/json: …}`: the value is sent as JSON text. */
  json: boolean;
}

export interface EncodingModel {
  style?: string;
  explode?: boolean;
  contentType?: string;
}

export interface BodyModel {
  contentType: string;
  kind: BodyKind;
  required: boolean;
  schema: unknown;
  description?: string;
  encoding: Record<string, EncodingModel>;
}

export interface ResponseModel {
  status: string;
  kind: ResponseKind;
  contentType?: string;
  schema?: unknown;
  /** Response headers the success response documents, in lower case (`link` for RFC 8288 paging). */
  headers?: string[];
}

export interface ServerModel {
  url: string;
  variables: Record<string, string>;
}

export interface OperationModel {
  method: string;
  path: string;
  operationId?: string;
  summary?: string;
  description?: string;
  tags: string[];
  deprecated: boolean;
  parameters: ParameterModel[];
  body?: BodyModel;
  response: ResponseModel;
  /** Security requirements in effect (operation-level, else document-level). */
  security: Record<string, string[]>[];
  /** The operation declares `security: []`: configured auth is not sent. */
  noAuth: boolean;
  servers: ServerModel[];
  /** `x-` extensions of the path item, overridden by the operation's. */
  extensions: Record<string, unknown>;
  /** Where the operation is, for error messages: `GET /pets/{id}`. */
  where: string;
}

export interface SecuritySchemeModel {
  type: string;
  scheme?: string;
  in?: string;
  name?: string;
  tokenUrl?: string;
}

export interface SpecModel {
  version: '2.0' | '3.0' | '3.1';
  title?: string;
  description?: string;
  servers: ServerModel[];
  operations: OperationModel[];
  securitySchemes: Record<string, SecuritySchemeModel>;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
