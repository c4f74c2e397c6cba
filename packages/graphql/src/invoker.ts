import {
  ErrorCode,
  type FunctionCallContext,
  type FunctionHandler,
  type SecretRedactor,
  type SecretRedactorCache,
  ToolCallError,
  ValidationError,
} from '@agent-tool-protocol/protocol';
import {
  coerceInputValue,
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
  getNamedType,
  isNonNullType,
  print,
} from 'graphql';
import type { AuthApplier, AuthParts } from './auth.js';
import {
  checkDefaultDocument,
  checkDocument,
  operationDocument,
  parseFieldSelection,
  type RootOperation,
  selectionDepth,
  withTypenames,
} from './document.js';
import { describeErrors, errorEntries, GraphQLCallError } from './errors.js';
import { type PostSettings, postJson, shorten } from './http.js';
import type { GraphQLLogger } from './options.js';
import { withQuery } from './schema-source.js';
import { defaultSelection } from './selection.js';

export interface CallSettings extends PostSettings {
  url: string | undefined;
  headers: Record<string, string>;
  /** Values among `headers` that are secrets, redacted like auth secrets. */
  headerSecrets: string[];
  auth: AuthApplier[];
  /** One redactor per distinct set of secrets in use (per-user tokens make several). */
  redactors: SecretRedactorCache;
  queryDepthLimit: number;
  depthLimit: number;
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  logger: GraphQLLogger | undefined;
}

/** The input key through which agent code chooses the returned fields. */
export const FIELDS_KEY = '_fields';

const RETRY_STATUSES = new Set([429, 503]);

/** Builds the handler of one root field: input checks, the document, the POST, the answer. */
export function createHandler(
  functionName: string,
  operation: RootOperation,
  field: GraphQLField<unknown, unknown>,
  schema: GraphQLSchema,
  settings: CallSettings,
  acceptsFields: boolean,
): FunctionHandler {
  const args = new Map(field.args.map((arg) => [arg.name, arg]));
  const required = field.args
    .filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined)
    .map((arg) => arg.name);
  const known = [...args.keys(), ...(acceptsFields ? [FIELDS_KEY] : [])];
  // Default documents depend only on which arguments are supplied: built once per combination.
  const defaultDocuments = new Map<string, string>();
  let defaultSelectionSet: ReturnType<typeof defaultSelection> | null = null;

  const documentFor = (supplied: string[], fields: string | undefined): string => {
    if (fields === undefined) {
      const key = supplied.join(',');
      let text = defaultDocuments.get(key);
      if (text === undefined) {
        defaultSelectionSet ??= defaultSelection(getNamedType(field.type), settings.queryDepthLimit);
        const document = operationDocument(
          operation,
          functionName.replaceAll('.', '_'),
          field,
          supplied,
          defaultSelectionSet,
        );
        checkDefaultDocument(schema, document, functionName);
        text = print(withTypenames(schema, document));
        defaultDocuments.set(key, text);
      }
      return text;
    }
    const selection = parseFieldSelection(fields, functionName);
    const depth = selectionDepth(selection);
    if (depth > settings.depthLimit) {
      throw new ValidationError(
        `${functionName}: _fields nests ${depth} levels deep; at most ${settings.depthLimit} are allowed`,
        [{ path: FIELDS_KEY, message: 'too deep' }],
      );
    }
    const document: DocumentNode = operationDocument(
      operation,
      functionName.replaceAll('.', '_'),
      field,
      supplied,
      selection,
    );
    checkDocument(schema, document, functionName, fields);
    return print(withTypenames(schema, document));
  };

  return async (rawInput: unknown, context: FunctionCallContext) => {
    const input = (rawInput ?? {}) as Record<string, unknown>;
    if (typeof input !== 'object' || Array.isArray(input)) {
      throw new ValidationError(`${functionName} expects an object input`, [
        { path: '', message: 'expected object' },
      ]);
    }
    for (const key of Object.keys(input)) {
      if (input[key] !== undefined && !known.includes(key)) {
        const expected = known.length > 0 ? `; expected one of: ${known.join(', ')}` : '; it takes no input';
        throw new ValidationError(`${functionName}: unknown input "${key}"${expected}`, [
          { path: key, message: 'unknown field' },
        ]);
      }
    }
    for (const name of required) {
      if (input[name] === undefined || input[name] === null) {
        throw new ValidationError(`${functionName}: missing required input "${name}"`, [
          { path: name, message: 'required' },
        ]);
      }
    }
    const variables: Record<string, unknown> = {};
    for (const [name, arg] of args) {
      const value = input[name];
      if (value === undefined) continue;
      const problems: string[] = [];
      coerceInputValue(value, arg.type, (path, _invalid, error) => {
        problems.push(path.length > 0 ? `${[name, ...path].join('.')}: ${error.message}` : error.message);
      });
      if (problems.length > 0) {
        throw new ValidationError(
          `${functionName}: invalid input "${name}": ${problems.slice(0, 3).join('; ')}`,
          [{ path: name, message: problems[0]! }],
        );
      }
      variables[name] = value;
    }
    const fields = fieldsOf(input[FIELDS_KEY], functionName);
    if (settings.url === undefined) {
      throw new ToolCallError(`${functionName}: no GraphQL endpoint is configured; set url in loadGraphQL`, {
        code: ErrorCode.CONFIG_ERROR,
      });
    }
    const query = documentFor(Object.keys(variables), fields);
    return send(functionName, operation, field.name, { query, variables }, context, settings);
  };
}

function fieldsOf(value: unknown, functionName: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')) {
    return value.join(',');
  }
  throw new ValidationError(
    `${functionName}: _fields must be a non-empty string such as "id,name,owner{login}" (or an array of them)`,
    [{ path: FIELDS_KEY, message: 'expected a string' }],
  );
}

async function send(
  functionName: string,
  operation: RootOperation,
  fieldName: string,
  body: { query: string; variables: Record<string, unknown> },
  context: FunctionCallContext,
  settings: CallSettings,
): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    const parts: AuthParts = { headers: {}, query: [], secrets: settings.headerSecrets.slice() };
    for (const applier of settings.auth) applier.apply(parts, context.credentials);
    const headers = { ...settings.headers, ...parts.headers };
    const redactor = settings.redactors.for(parts.secrets);
    const started = performance.now();
    const response = await postJson(
      functionName,
      withQuery(settings.url!, parts.query),
      body,
      headers,
      settings,
      context.signal,
    ).catch((error: unknown) => {
      throw redactor.redactError(error);
    });
    settings.logger?.debug(
      { operation: functionName, status: response.status, ms: Math.round(performance.now() - started) },
      'graphql call',
    );
    if (operation === 'query' && RETRY_STATUSES.has(response.status) && attempt < settings.retries) {
      const delay = retryAfterMs(response.retryAfter) ?? backoff(attempt, settings);
      if (delay <= settings.maxDelayMs) {
        await sleep(delay, context.signal);
        continue;
      }
    }
    return answer(functionName, fieldName, response.status, response.text, redactor);
  }
}

/**
 * The root field's value, or a GraphQLCallError (errors + partial data) / an HTTP error; every configured
 * secret is redacted from all of it (in the parsed JSON too, whatever escapes spelled it).
 */
function answer(
  functionName: string,
  fieldName: string,
  status: number,
  raw: string,
  redactor: SecretRedactor,
): unknown {
  let text = redactor.redact(raw);
  let body: { data?: Record<string, unknown> | null; errors?: unknown } | undefined;
  try {
    const parsed = redactor.redactValue(JSON.parse(text) as unknown);
    if (typeof parsed === 'object' && parsed !== null && ('data' in parsed || 'errors' in parsed)) {
      body = parsed as typeof body;
    } else {
      text = JSON.stringify(parsed); // shown compact, as parsed: escapes cannot hide a secret
    }
  } catch {
    body = undefined;
  }
  const ok = status >= 200 && status < 300;
  if (body === undefined) {
    throw new ToolCallError(
      ok
        ? `${functionName} failed: the server did not answer with a GraphQL response: ${shorten(text, 200)}`
        : `${functionName} failed: HTTP ${status}${text ? `: ${shorten(text)}` : ''}`,
      {
        code: ErrorCode.HTTP_ERROR,
        status,
        retryable: RETRY_STATUSES.has(status) || status >= 500,
        details: { operation: functionName, status, body: shorten(text) },
      },
    );
  }
  const errors = errorEntries(body.errors);
  const data = body.data?.[fieldName] ?? null;
  if (errors.length > 0 || !ok) {
    throw new GraphQLCallError(
      describeErrors(functionName, errors.length > 0 ? errors : [{ message: `HTTP ${status}` }]),
      {
        operation: functionName,
        errors,
        data,
        ...(ok ? {} : { status }),
      },
    );
  }
  return data;
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function backoff(attempt: number, settings: CallSettings): number {
  return Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** attempt * (0.5 + Math.random() / 2));
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted)
      return reject(new ToolCallError('The call was cancelled', { code: ErrorCode.CANCELLED }));
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(new ToolCallError('The call was cancelled', { code: ErrorCode.CANCELLED }));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
