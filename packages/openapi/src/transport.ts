import { ErrorCode, type FunctionCallContext, ToolCallError } from '@agent-tool-protocol/protocol';
import type { RequestBody } from './serialize.js';

export interface OutgoingRequest {
  functionName: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  body: RequestBody | undefined;
}

interface TransportSettings {
  fetch: typeof fetch;
  timeout: number;
  /** Origins besides the request's own that a redirect may lead to. */
  redirectOrigins: ReadonlySet<string>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/**
 * fetch with the per-attempt timeout, following redirects itself: only within the request's origin or to
 * an allowed one (anything else fails the call, so an upstream cannot steer the server to an internal
 * address), and once the origin changed without the credential-bearing headers (`sensitiveHeaders`), so
 * an API key never travels to a host it was not meant for.
 */
export async function fetchFollowingRedirects(
  request: OutgoingRequest,
  sensitiveHeaders: ReadonlySet<string>,
  context: FunctionCallContext,
  settings: TransportSettings,
): Promise<Response> {
  const origin = new URL(request.url).origin;
  let { url, method, headers, body } = request;
  for (let redirects = 0; ; redirects++) {
    const response = await fetchWithTimeout(
      request.functionName,
      url,
      method,
      headers,
      body,
      context,
      settings,
    );
    const location = response.headers.get('location');
    if (!REDIRECTS.has(response.status) || location === null) return response;
    await response.body?.cancel().catch(() => undefined);
    if (redirects === MAX_REDIRECTS) {
      throw new ToolCallError(`${request.functionName} failed: more than ${MAX_REDIRECTS} redirects`, {
        code: ErrorCode.HTTP_ERROR,
        status: response.status,
      });
    }
    const next = URL.parse(location, url);
    if (next === null) {
      throw new ToolCallError(
        `${request.functionName} failed: HTTP ${response.status} with an invalid Location`,
        {
          code: ErrorCode.HTTP_ERROR,
          status: response.status,
        },
      );
    }
    if (next.origin !== origin && !settings.redirectOrigins.has(next.origin)) {
      throw new ToolCallError(
        `${request.functionName} failed: HTTP ${response.status} redirect to ${next.origin} not followed; only redirects within ${origin} are (allowedRedirectOrigins lists others)`,
        {
          code: ErrorCode.HTTP_ERROR,
          status: response.status,
          details: { status: response.status, redirectOrigin: next.origin },
        },
      );
    }
    if (
      response.status === 303 ||
      ((response.status === 301 || response.status === 302) && method === 'POST')
    ) {
      method = 'GET';
      body = undefined;
      headers = withoutHeaders(headers, new Set(['content-type']));
    }
    if (next.origin !== origin) headers = withoutHeaders(headers, sensitiveHeaders);
    url = next.href;
  }
}

function withoutHeaders(headers: Record<string, string>, names: ReadonlySet<string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.has(name)));
}

async function fetchWithTimeout(
  functionName: string,
  url: string,
  method: string,
  headers: Record<string, string>,
  body: RequestBody | undefined,
  context: FunctionCallContext,
  settings: TransportSettings,
): Promise<Response> {
  const timeout = AbortSignal.timeout(settings.timeout);
  const signal = context.signal ? AbortSignal.any([timeout, context.signal]) : timeout;
  try {
    return await settings.fetch(url, { method, headers, body, signal, redirect: 'manual' });
  } catch (error) {
    if (timeout.aborted) {
      throw new ToolCallError(`${functionName} timed out after ${settings.timeout} ms`, {
        code: ErrorCode.TIMEOUT,
        retryable: true,
      });
    }
    if (context.signal?.aborted) {
      throw new ToolCallError(`${functionName} was cancelled`, { code: ErrorCode.CANCELLED });
    }
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new ToolCallError(`${functionName} failed: network error (${cause})`, {
      code: ErrorCode.TOOL_ERROR,
      retryable: true,
    });
  }
}
