import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { ConfigError, createSecretRedactor, isAtpError } from '@agent-tool-protocol/protocol';
import {
  buildClientSchema,
  type GraphQLSchema,
  getIntrospectionQuery,
  type IntrospectionQuery,
  isSchema,
  validateSchema,
} from 'graphql';
import { type PostSettings, postJson, shorten } from './http.js';
import { schemaFromSdl } from './sdl.js';

export interface SchemaSourceOptions {
  introspectionUrl?: string;
  path?: string;
  sdl?: string;
  introspection?: string | Record<string, unknown>;
  schema?: GraphQLSchema;
}

export interface LoadedSchema {
  schema: GraphQLSchema;
  /** Where it came from, for messages: a path, a URL, `sdl`, … */
  origin: string;
  /** Repeated SDL members that were dropped. */
  duplicates: string[];
}

export interface IntrospectionRequest {
  headers: Record<string, string>;
  query: [string, string][];
  secrets: string[];
}

/** Finds the schema: a GraphQLSchema, SDL, an introspection result, a file of either, or live introspection. */
export async function loadSchema(
  options: SchemaSourceOptions,
  settings: PostSettings,
  request: () => IntrospectionRequest,
): Promise<LoadedSchema> {
  const loaded = await load(options, settings, request);
  const problems = validateSchema(loaded.schema);
  if (problems.length > 0) {
    const listed = problems.slice(0, 5).map((problem) => problem.message);
    throw new ConfigError(`The GraphQL schema from ${loaded.origin} is invalid: ${listed.join('; ')}`, [
      { path: 'schema', message: listed[0]! },
    ]);
  }
  return loaded;
}

async function load(
  options: SchemaSourceOptions,
  settings: PostSettings,
  request: () => IntrospectionRequest,
): Promise<LoadedSchema> {
  if (options.schema !== undefined) {
    if (!isSameGraphQLSchema(options.schema)) {
      throw new ConfigError(
        'schema must be a GraphQLSchema from the same graphql package; pass sdl instead',
        [{ path: 'schema', message: 'not a GraphQLSchema' }],
      );
    }
    return { schema: options.schema, origin: 'the given schema', duplicates: [] };
  }
  if (options.sdl !== undefined) return fromSdl(options.sdl, 'sdl', 'sdl');
  if (options.introspection !== undefined) {
    const value =
      typeof options.introspection === 'string'
        ? parseJson(options.introspection, 'introspection', 'introspection')
        : options.introspection;
    return {
      schema: fromIntrospection(value, 'introspection', 'introspection'),
      origin: 'introspection',
      duplicates: [],
    };
  }
  if (options.path !== undefined) return fromFile(options.path);
  if (options.introspectionUrl !== undefined) return introspect(options.introspectionUrl, settings, request);
  throw new ConfigError('No GraphQL schema source', [{ path: 'url', message: 'required' }]);
}

/** graphql-js throws when a schema comes from another copy of the package; that is a config problem here. */
function isSameGraphQLSchema(value: unknown): boolean {
  try {
    return isSchema(value);
  } catch {
    return false;
  }
}

async function fromFile(path: string): Promise<LoadedSchema> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`Cannot read the GraphQL schema file ${path}${code ? ` (${code})` : ''}`, [
      { path: 'path', message: code === 'ENOENT' ? 'file not found' : 'unreadable' },
    ]);
  }
  const isJson = extname(path).toLowerCase() === '.json' || text.trimStart().startsWith('{');
  if (isJson) {
    return {
      schema: fromIntrospection(parseJson(text, path, 'path'), path, 'path'),
      origin: path,
      duplicates: [],
    };
  }
  return fromSdl(text, path, 'path');
}

function fromSdl(text: string, origin: string, field: string): LoadedSchema {
  try {
    const { schema, duplicates } = schemaFromSdl(text);
    return { schema, origin, duplicates };
  } catch (error) {
    throw new ConfigError(`Cannot build a GraphQL schema from ${origin}: ${(error as Error).message}`, [
      { path: field, message: 'invalid SDL' },
    ]);
  }
}

function parseJson(text: string, origin: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${origin} is not valid JSON: ${(error as Error).message}`, [
      { path: field, message: 'invalid JSON' },
    ]);
  }
}

/** Accepts `{ __schema }`, `{ data: { __schema } }` (a saved response) and reports anything else. */
function fromIntrospection(value: unknown, origin: string, field: string): GraphQLSchema {
  const record = (value ?? {}) as Record<string, unknown>;
  const data = (record.__schema !== undefined ? record : record.data) as Record<string, unknown> | undefined;
  if (data === undefined || data === null || typeof data.__schema !== 'object') {
    throw new ConfigError(
      `${origin} is not an introspection result: expected { __schema } or { data: { __schema } }`,
      [{ path: field, message: 'missing __schema' }],
    );
  }
  try {
    return buildClientSchema(data as unknown as IntrospectionQuery);
  } catch (error) {
    throw new ConfigError(`Cannot build a GraphQL schema from ${origin}: ${(error as Error).message}`, [
      { path: field, message: 'invalid introspection result' },
    ]);
  }
}

async function introspect(
  url: string,
  settings: PostSettings,
  request: () => IntrospectionRequest,
): Promise<LoadedSchema> {
  const { headers, query, secrets } = request();
  const redactor = createSecretRedactor(secrets);
  const target = withQuery(url, query);
  const what = `GraphQL introspection of ${url}`;
  let text: string;
  let status: number;
  try {
    const response = await postJson(what, target, { query: getIntrospectionQuery() }, headers, settings);
    text = redactor.redact(response.text);
    status = response.status;
  } catch (error) {
    const message = isAtpError(error) ? error.message : String(error);
    throw new ConfigError(redactor.redact(message), [{ path: 'url', message: 'introspection failed' }]);
  }
  let body: { data?: unknown; errors?: { message?: unknown }[] } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  if (body?.errors?.length && !body.data) {
    const messages = body.errors.map((error) => String(error.message)).join('; ');
    throw new ConfigError(`${what} failed (HTTP ${status}): ${shorten(messages)}`, [
      { path: 'url', message: 'introspection failed; load the schema from path or sdl instead' },
    ]);
  }
  if (status < 200 || status >= 300 || body === undefined) {
    throw new ConfigError(`${what} failed: HTTP ${status}${text ? `: ${shorten(text, 300)}` : ''}`, [
      { path: 'url', message: 'introspection failed' },
    ]);
  }
  return { schema: fromIntrospection(body, what, 'url'), origin: url, duplicates: [] };
}

export function withQuery(url: string, query: readonly [string, string][]): string {
  if (query.length === 0) return url;
  const target = new URL(url);
  for (const [name, value] of query) target.searchParams.append(name, value);
  return target.href;
}
