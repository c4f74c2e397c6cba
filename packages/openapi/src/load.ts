import { type APIGroup, type FunctionDef, SecretRedactorCache } from '@agent-tool-protocol/protocol';
import { createAuthAppliers } from './auth.js';
import { filterOperations } from './filter.js';
import { buildInput, buildOutput } from './inputs.js';
import { createHandler, type HTTPSettings } from './invoker.js';
import { metadataOf } from './metadata.js';
import type { OperationModel } from './model.js';
import { assignNames } from './naming.js';
import { normalizeDocument } from './normalize.js';
import { type LoadOpenAPIOptions, parseLoadOptions } from './options.js';
import { operationPagination } from './pagination/operation-pagination.js';
import { SchemaView } from './pagination/schema-view.js';
import { deref, isRecord } from './pointer.js';
import { SchemaConverter } from './schema.js';
import { serverUrl } from './servers.js';
import { type Document, loadSource } from './source.js';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const SECRET_HEADER = /auth|key|token|secret|cookie|session|password/i;
const MAX_DESCRIPTION = 600;

/** Loads an OpenAPI 3.0/3.1 or Swagger 2.0 spec as an API group whose functions make the HTTP calls. */
export async function loadOpenAPI(options: LoadOpenAPIOptions): Promise<APIGroup> {
  const config = parseLoadOptions(options);
  const fetchImpl = config.fetch ?? globalThis.fetch;
  const what = config.path ?? config.url ?? 'spec';
  const { document, baseUrl: documentUrl } = await loadSource({ ...config, fetch: fetchImpl });
  const spec = normalizeDocument(document, what);
  const operations = filterOperations(spec.operations, config.include, config.exclude);
  const names = assignNames(operations, config.namespaceByTag ?? true);
  const retry = config.retry === false ? { retries: 0 } : (config.retry ?? {});
  const headers = Object.fromEntries(
    Object.entries(config.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const settings: HTTPSettings = {
    fetch: fetchImpl,
    timeout: config.timeout ?? DEFAULT_TIMEOUT_MS,
    retries: retry.retries ?? 2,
    baseDelayMs: retry.baseDelayMs ?? 250,
    maxDelayMs: retry.maxDelayMs ?? 10_000,
    maxResponseBytes: config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    headers,
    headerSecrets: Object.entries(headers)
      .filter(([name]) => SECRET_HEADER.test(name))
      .map(([, value]) => value),
    secretHeaderNames: Object.keys(headers).filter((name) => SECRET_HEADER.test(name)),
    auth: createAuthAppliers(config.auth, spec.securitySchemes, fetchImpl),
    redirectOrigins: new Set((config.allowedRedirectOrigins ?? []).map((origin) => new URL(origin).origin)),
    redactors: new SecretRedactorCache(),
    logger: config.logger,
  };
  const variables = config.serverVariables ?? {};
  const defaultBase =
    config.baseUrl?.replace(/\/+$/, '') ?? serverUrl(spec.servers[0], variables, documentUrl);
  const converter = new SchemaConverter(document);
  const view = new SchemaView(converter.definitions);
  const functions: FunctionDef[] = operations.map((operation, index) => {
    const name = names[index]!;
    const input = buildInput(operation, converter);
    const base =
      config.baseUrl === undefined && operation.servers.length > 0
        ? serverUrl(operation.servers[0], variables, documentUrl)
        : defaultBase;
    const binaryFields = binaryFieldsOf(document, operation);
    const output = buildOutput(operation, converter);
    const metadata = metadataOf(operation);
    const paging = operationPagination(operation, input, output, view, config.pagination !== false);
    if (paging !== undefined && 'pagination' in paging) metadata.pagination = paging.pagination;
    else if (paging !== undefined) {
      config.logger?.debug({ operation: operation.where, reason: paging.skipped }, 'openapi: list not paged');
    }
    const fn: FunctionDef = {
      name,
      inputSchema: input.schema,
      outputSchema: output,
      metadata,
      handler: createHandler(`${config.name}.${name}`, operation, input, base, binaryFields, settings),
    };
    const description = describe(operation);
    if (description !== undefined) fn.description = description;
    return fn;
  });
  const auth = config.auth === undefined ? [] : Array.isArray(config.auth) ? config.auth : [config.auth];
  const perUser = auth.find((entry) => entry.scheme === 'oauth');
  return {
    name: config.name,
    type: perUser ? 'oauth' : 'openapi',
    description: config.description ?? spec.title,
    functions,
    definitions: converter.definitions,
    metadata: {
      source: 'openapi',
      specVersion: spec.version,
      title: spec.title,
      baseUrl: defaultBase,
      authSchemes: auth.map((entry) => entry.scheme),
      ...(perUser?.provider ? { oauthProvider: perUser.provider } : {}),
      ...(perUser?.scopes ? { oauthScopes: perUser.scopes } : {}),
    },
  };
}

function describe(operation: OperationModel): string | undefined {
  const parts = [operation.summary, operation.description].filter(
    (part, index, all): part is string =>
      part !== undefined && part.trim() !== '' && all.indexOf(part) === index,
  );
  if (parts.length === 0) return undefined;
  const text = parts.join('\n\n').trim();
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION)}…` : text;
}

/** Multipart fields declared as files (`format: binary`, Swagger `type: file`): strings are sent as files. */
function binaryFieldsOf(document: Document, operation: OperationModel): Set<string> {
  const fields = new Set<string>();
  if (operation.body?.kind !== 'multipart') return fields;
  const schema = deref(document, operation.body.schema, `${operation.where} requestBody`);
  if (!isRecord(schema) || !isRecord(schema.properties)) return fields;
  for (const [name, raw] of Object.entries(schema.properties)) {
    const property = deref(document, raw, `${operation.where} requestBody.${name}`);
    const item = isRecord(property) && isRecord(property.items) ? property.items : property;
    if (isRecord(item) && (item.format === 'binary' || item.type === 'file')) fields.add(name);
  }
  return fields;
}

/** The blog's form: `openapi.fromSpec('github', {url, auth: {scheme: 'bearer', envVar: 'GITHUB_TOKEN'}})`. */
export const openapi = {
  fromSpec(name: string, options: Omit<LoadOpenAPIOptions, 'name'>): Promise<APIGroup> {
    return loadOpenAPI({ ...options, name });
  },
  load: loadOpenAPI,
};
