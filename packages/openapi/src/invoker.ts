import {
  ErrorCode,
  type FunctionCallContext,
  type FunctionHandler,
  type Logger,
  readBoundedBody,
  type SecretRedactor,
  type SecretRedactorCache,
  ToolCallError,
  ValidationError,
} from '@agent-tool-protocol/protocol';
import type { AuthApplier, AuthParts } from './auth.js';
import type { InputShape } from './inputs.js';
import type { OperationModel } from './model.js';
import { bodyText, parseBody, retryAfterMs } from './response.js';
import {
  encodeBody,
  type RequestBody,
  serializeCookieParameter,
  serializeHeaderParameter,
  serializePathParameter,
  serializeQueryParameter,
} from './serialize.js';
import { fetchFollowingRedirects } from './transport.js';

export interface HTTPSettings {
  fetch: typeof fetch;
  timeout: number;
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxResponseBytes: number;
  headers: Record<string, string>;
  /** Secrets among the configured headers, redacted like auth secrets. */
  headerSecrets: string[];
  /** Names (lower case) of configured headers that carry secrets: never sent to another origin. */
  secretHeaderNames: string[];
  auth: AuthApplier[];
  /** Origins besides a call's own that its redirects may lead to. */
  redirectOrigins: ReadonlySet<string>;
  /** One redactor per distinct set of secrets in use (per-user tokens make several). */
  redactors: SecretRedactorCache;
  logger: Logger | undefined;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);
const RETRY_STATUSES = new Set([429, 503]);
const DOT_SEGMENT = /^(\.|%2e){1,2}$/i;

/** Builds the handler that performs one operation's HTTP call. */
export function createHandler(
  functionName: string,
  operation: OperationModel,
  input: InputShape,
  baseUrl: string | undefined,
  binaryFields: ReadonlySet<string>,
  settings: HTTPSettings,
): FunctionHandler {
  const pathParts = operation.path.split(/(\{[^}]+\})/);
  const pathParameters = new Map(input.parameters.filter((p) => p.in === 'path').map((p) => [p.name, p]));
  const otherParameters = input.parameters.filter((p) => p.in !== 'path');
  const idempotent = IDEMPOTENT.has(operation.method);

  return async (rawInput: unknown, context: FunctionCallContext) => {
    const value = (rawInput ?? {}) as Record<string, unknown>;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new ValidationError(`${functionName} expects an object input`, [
        { path: '', message: 'expected object' },
      ]);
    }
    const bodyValue = readBody(functionName, value, input);
    if (baseUrl === undefined) {
      throw new ToolCallError(
        `${functionName}: the spec has no absolute server URL; set baseUrl in loadOpenAPI`,
        {
          code: ErrorCode.CONFIG_ERROR,
        },
      );
    }
    let path = '';
    for (const part of pathParts) {
      const parameter = part.startsWith('{') ? pathParameters.get(part.slice(1, -1)) : undefined;
      if (parameter === undefined) {
        path += part;
        continue;
      }
      const segment = serializePathParameter(parameter, value[parameter.key]);
      // URL parsing resolves `.`/`..` segments (encoded or not): they would leave the operation's path.
      if (DOT_SEGMENT.test(segment)) {
        throw new ValidationError(
          `${functionName}: path parameter "${parameter.key}" must not be "." or ".."`,
          [{ path: parameter.key, message: 'dot segment' }],
        );
      }
      path += segment;
    }
    const query: string[] = [];
    const headers: Record<string, string> = { accept: operation.response.contentType ?? 'application/json' };
    Object.assign(headers, settings.headers);
    const cookies: string[] = [];
    for (const parameter of otherParameters) {
      const field = value[parameter.key];
      if (field === undefined || field === null) continue;
      if (parameter.in === 'query') query.push(...serializeQueryParameter(parameter, field));
      else if (parameter.in === 'header')
        headers[parameter.name.toLowerCase()] = serializeHeaderParameter(parameter, field);
      else cookies.push(serializeCookieParameter(parameter, field));
    }
    let payload: RequestBody | undefined;
    if (operation.body && bodyValue !== undefined) {
      const encoded = encodeBody(operation.body, bodyValue, binaryFields);
      payload = encoded.payload;
      if (encoded.contentType) headers['content-type'] = encoded.contentType;
    }
    const request: PreparedRequest = { url: baseUrl + path, query, headers, cookies, payload };
    return send(functionName, operation, request, context, settings, idempotent);
  };
}

/**
 * Checks the input's keys and returns the request body it carries: the flat body fields gathered into one
 * object, the nested `body` (where accepted), or the whole-body key's value; undefined when there is none.
 */
function readBody(functionName: string, value: Record<string, unknown>, input: InputShape): unknown {
  const { body } = input;
  if (body?.mode === 'whole') {
    checkInput(functionName, value, input.keys, input.required);
    return value[body.key];
  }
  if (body === undefined) {
    checkInput(functionName, value, input.keys, input.required);
    return undefined;
  }
  const flatKeys = [...body.fields.keys()].filter((key) => value[key] !== undefined);
  if (body.nested && value[body.nested.key] !== undefined) {
    if (flatKeys.length > 0) {
      throw new ValidationError(
        `${functionName}: pass the request body either as fields (${flatKeys.join(', ')}) or as "${body.nested.key}", not both`,
        [{ path: body.nested.key, message: 'both flat body fields and nested body' }],
      );
    }
    checkInput(functionName, value, input.keys, body.nested.required);
    return value[body.nested.key];
  }
  checkInput(functionName, value, input.keys, input.required);
  if (flatKeys.length === 0) return body.required ? {} : undefined;
  return Object.fromEntries(flatKeys.map((key) => [body.fields.get(key)!, value[key]]));
}

function checkInput(
  functionName: string,
  value: Record<string, unknown>,
  known: ReadonlySet<string>,
  requiredKeys: readonly string[],
): void {
  for (const key of requiredKeys) {
    if (value[key] === undefined) {
      throw new ValidationError(`${functionName}: missing required input "${key}"`, [
        { path: key, message: 'required' },
      ]);
    }
  }
  for (const key in value) {
    if (!known.has(key) && value[key] !== undefined) {
      const expected = known.size > 0 ? `; expected one of: ${[...known].join(', ')}` : '; it takes no input';
      throw new ValidationError(`${functionName}: unknown input "${key}"${expected}`, [
        { path: key, message: 'unknown field' },
      ]);
    }
  }
}

interface PreparedRequest {
  url: string;
  query: string[];
  headers: Record<string, string>;
  cookies: string[];
  payload: RequestBody | undefined;
}

async function send(
  functionName: string,
  operation: OperationModel,
  request: PreparedRequest,
  context: FunctionCallContext,
  settings: HTTPSettings,
  idempotent: boolean,
): Promise<unknown> {
  let reauthenticated = false;
  for (let attempt = 0; ; attempt++) {
    const parts: AuthParts = { headers: {}, query: [], cookies: [], secrets: settings.headerSecrets.slice() };
    for (const applier of settings.auth) {
      if (operation.noAuth) parts.secrets.push(...applier.secrets(context.credentials));
      else await applier.apply(parts, context.credentials, context.signal);
    }
    const query = [
      ...request.query,
      ...parts.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`),
    ];
    const headers = { ...request.headers, ...parts.headers };
    const cookies = [...request.cookies, ...parts.cookies];
    if (cookies.length > 0) headers.cookie = cookies.join('; ');
    const url = query.length > 0 ? `${request.url}?${query.join('&')}` : request.url;
    const started = performance.now();
    const response = await fetchFollowingRedirects(
      { functionName, url, method: operation.method, headers, body: request.payload },
      new Set([
        ...Object.keys(parts.headers),
        ...settings.secretHeaderNames,
        ...(cookies.length ? ['cookie'] : []),
      ]),
      context,
      settings,
    );
    settings.logger?.debug(
      {
        operation: functionName,
        method: operation.method,
        path: operation.path,
        status: response.status,
        ms: performance.now() - started,
      },
      'openapi call',
    );
    if (response.status === 401 && !reauthenticated && settings.auth.some((a) => a.invalidate?.())) {
      reauthenticated = true;
      await response.body?.cancel().catch(() => undefined);
      continue;
    }
    if (idempotent && RETRY_STATUSES.has(response.status) && attempt < settings.retries) {
      const delay = retryAfterMs(response.headers.get('retry-after')) ?? backoff(attempt, settings);
      if (delay <= settings.maxDelayMs) {
        await response.body?.cancel().catch(() => undefined);
        await sleep(delay, context.signal);
        continue;
      }
    }
    const bytes = await readBoundedBody(response, settings.maxResponseBytes, functionName);
    const redactor: SecretRedactor = settings.redactors.for(parts.secrets);
    if (!response.ok) {
      const statusText = response.statusText ? ` ${redactor.redact(response.statusText)}` : '';
      const text = bodyText(bytes, redactor);
      throw new ToolCallError(
        `${functionName} failed: HTTP ${response.status}${statusText}${text ? `: ${text}` : ''}`,
        {
          code: ErrorCode.HTTP_ERROR,
          status: response.status,
          retryable: RETRY_STATUSES.has(response.status) || response.status >= 500,
          details: {
            operation: functionName,
            method: operation.method,
            path: operation.path,
            status: response.status,
            body: text,
          },
        },
      );
    }
    // Pagination reads the headers (Link): an upstream could echo a credential there too.
    context.onResponse?.({
      status: response.status,
      headers: redactor.redactValue(Object.fromEntries(response.headers)),
    });
    if (operation.method === 'HEAD' || response.status === 204) return null;
    return parseBody(bytes, response.headers.get('content-type') ?? '', redactor);
  }
}

function backoff(attempt: number, settings: HTTPSettings): number {
  const exponential = settings.baseDelayMs * 2 ** attempt;
  return Math.min(settings.maxDelayMs, exponential * (0.5 + Math.random() / 2));
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
