import {
  type APIGroup,
  type FunctionDef,
  type JSONSchema,
  SecretRedactorCache,
} from '@agent-tool-protocol/protocol';
import { type GraphQLField, type GraphQLObjectType, isNonNullType } from 'graphql';
import { type AuthParts, createAuthAppliers } from './auth.js';
import type { RootOperation } from './document.js';
import { filterRootFields } from './filter.js';
import { type CallSettings, createHandler, FIELDS_KEY } from './invoker.js';
import { TypeConverter } from './json-schema.js';
import { metadataOf } from './metadata.js';
import {
  type LoadGraphQLOptions,
  type LoadGraphQLSourceOptions,
  optionsOf,
  parseLoadOptions,
} from './options.js';
import { loadSchema } from './schema-source.js';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const DEFAULT_QUERY_DEPTH = 1;
const DEFAULT_DEPTH_LIMIT = 8;
const SECRET_HEADER = /auth|key|token|secret|cookie|session|password/i;
const MAX_DESCRIPTION = 600;

/** Kept short: it is repeated in every function's declaration. */
function fieldsDescription(depth: number): string {
  const objects =
    depth === 0 ? 'no nested objects' : `nested objects ${depth} level${depth === 1 ? '' : 's'} down`;
  return `Fields to return as a GraphQL selection, e.g. "id,name,owner{login}". Default: scalars and ${objects}.`;
}

/**
 * Loads a GraphQL API as an API group: one function per root query field (`query_<field>`, a read) and
 * mutation field (`mutation_<field>`, a write). Either the original ATP's call shape —
 * `loadGraphQL(source, options)` with an endpoint URL (introspected), an SDL file or an introspection JSON
 * file — or one options object like `loadOpenAPI`'s: `loadGraphQL({ name, url, path | sdl | introspection })`.
 */
export function loadGraphQL(options: LoadGraphQLOptions): Promise<APIGroup>;
export function loadGraphQL(source: string, options?: LoadGraphQLSourceOptions): Promise<APIGroup>;
export async function loadGraphQL(
  sourceOrOptions: string | LoadGraphQLOptions,
  maybeOptions?: LoadGraphQLSourceOptions,
): Promise<APIGroup> {
  const started = performance.now();
  const config = parseLoadOptions(optionsOf(sourceOrOptions, maybeOptions));
  const fetchImpl = config.fetch ?? globalThis.fetch;
  const headers = Object.fromEntries(
    Object.entries(config.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const headerSecrets = Object.entries(headers)
    .filter(([name]) => SECRET_HEADER.test(name))
    .map(([, value]) => value);
  const auth = createAuthAppliers(config.auth);
  const post = {
    fetch: fetchImpl,
    timeout: config.timeout ?? DEFAULT_TIMEOUT_MS,
    maxResponseBytes: config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
  };
  const introspectionUrl = config.introspectionUrl ?? config.url;
  const { schema, origin, duplicates } = await loadSchema(
    {
      ...(config.path !== undefined ? { path: config.path } : {}),
      ...(config.sdl !== undefined ? { sdl: config.sdl } : {}),
      ...(config.introspection !== undefined ? { introspection: config.introspection } : {}),
      ...(config.schema !== undefined ? { schema: config.schema } : {}),
      ...(introspectionUrl !== undefined ? { introspectionUrl } : {}),
    },
    post,
    () => {
      // Introspection runs without a user: per-user OAuth cannot apply (give such APIs a schema file).
      const parts: AuthParts = { headers: {}, query: [], secrets: headerSecrets.slice() };
      for (const applier of auth) if (!applier.perUser) applier.apply(parts, undefined);
      return { headers: { ...headers, ...parts.headers }, query: parts.query, secrets: parts.secrets };
    },
  );
  if (duplicates.length > 0) {
    config.logger?.warn(
      { group: config.name, duplicates },
      'GraphQL SDL defines these members more than once; the first definitions are used',
    );
  }

  const retry = config.retry === false ? { retries: 0 } : (config.retry ?? {});
  const settings: CallSettings = {
    ...post,
    url: config.url,
    headers,
    headerSecrets,
    auth,
    redactors: new SecretRedactorCache(),
    queryDepthLimit: config.queryDepthLimit ?? DEFAULT_QUERY_DEPTH,
    depthLimit: config.depthLimit ?? DEFAULT_DEPTH_LIMIT,
    retries: retry.retries ?? 2,
    baseDelayMs: retry.baseDelayMs ?? 250,
    maxDelayMs: retry.maxDelayMs ?? 10_000,
    logger: config.logger,
  };
  const roots = filterRootFields(
    [...rootFields('query', schema.getQueryType()), ...rootFields('mutation', schema.getMutationType())],
    config.include,
    config.exclude,
  );
  const converter = new TypeConverter(schema, config.scalars ?? {});
  const functions = roots.map(({ operation, name, field }): FunctionDef => {
    const functionName = `${operation}_${name}`;
    const acceptsFields = !field.args.some((arg) => arg.name === FIELDS_KEY);
    const fn: FunctionDef = {
      name: functionName,
      inputSchema: inputSchemaOf(
        field,
        converter,
        acceptsFields ? fieldsDescription(settings.queryDepthLimit) : undefined,
      ),
      outputSchema: converter.output(field.type),
      metadata: metadataOf(operation, field),
      handler: createHandler(
        `${config.name}.${functionName}`,
        operation,
        field,
        schema,
        settings,
        acceptsFields,
      ),
    };
    const description = describe(field);
    if (description !== undefined) fn.description = description;
    return fn;
  });

  const entries = config.auth === undefined ? [] : Array.isArray(config.auth) ? config.auth : [config.auth];
  const perUser = entries.find((entry) => entry.scheme === 'oauth');
  config.logger?.debug(
    { group: config.name, functions: functions.length, ms: Math.round(performance.now() - started) },
    'graphql schema loaded',
  );
  return {
    name: config.name,
    type: perUser ? 'oauth' : 'graphql',
    description:
      config.description ?? schema.description ?? `GraphQL API${config.url ? ` at ${config.url}` : ''}`,
    functions,
    definitions: converter.definitions,
    metadata: {
      source: 'graphql',
      schemaSource: origin,
      ...(config.url !== undefined ? { url: config.url } : {}),
      queries: functions.filter((fn) => fn.metadata?.graphqlOperation === 'query').length,
      mutations: functions.filter((fn) => fn.metadata?.graphqlOperation === 'mutation').length,
      authSchemes: entries.map((entry) => entry.scheme),
      ...(perUser?.scheme === 'oauth' && perUser.provider ? { oauthProvider: perUser.provider } : {}),
      ...(perUser?.scheme === 'oauth' && perUser.scopes ? { oauthScopes: perUser.scopes } : {}),
    },
  };
}

interface Root {
  operation: RootOperation;
  name: string;
  field: GraphQLField<unknown, unknown>;
}

function rootFields(operation: RootOperation, type: GraphQLObjectType | null | undefined): Root[] {
  if (!type) return [];
  return Object.values(type.getFields()).map((field) => ({ operation, name: field.name, field }));
}

function inputSchemaOf(
  field: GraphQLField<unknown, unknown>,
  converter: TypeConverter,
  fieldsDescription: string | undefined,
): JSONSchema {
  const properties: Record<string, JSONSchema> = {};
  const required: string[] = [];
  for (const arg of field.args) {
    const schema = converter.input(arg.type);
    const text = [arg.description, arg.deprecationReason ? `Deprecated: ${arg.deprecationReason}` : undefined]
      .filter(Boolean)
      .join('\n\n');
    properties[arg.name] = text ? { ...schema, description: text } : schema;
    const hasDefault = arg.defaultValue !== undefined;
    if (isNonNullType(arg.type) && !hasDefault) required.push(arg.name);
  }
  if (fieldsDescription !== undefined)
    properties[FIELDS_KEY] = { type: 'string', description: fieldsDescription };
  const schema: JSONSchema = { type: 'object', properties, additionalProperties: false };
  if (required.length > 0) schema.required = required;
  return schema;
}

function describe(field: GraphQLField<unknown, unknown>): string | undefined {
  const parts = [
    field.description?.trim(),
    field.deprecationReason ? `Deprecated: ${field.deprecationReason}` : undefined,
  ];
  const text = parts.filter((part): part is string => part !== undefined && part !== '').join('\n\n');
  if (text === '') return undefined;
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION)}…` : text;
}
