import { ErrorCode, readBoundedBody, ToolCallError } from '@agent-tool-protocol/protocol';

export interface PostSettings {
  fetch: typeof fetch;
  timeout: number;
  maxResponseBytes: number;
}

export interface RawResponse {
  status: number;
  statusText: string;
  contentType: string;
  retryAfter: string | null;
  text: string;
}

/**
 * POSTs a JSON body and reads the answer as text, bounded in time and size. Redirects are not followed:
 * a GraphQL endpoint that redirects would carry the credentials to wherever it points.
 */
export async function postJson(
  what: string,
  url: string,
  body: unknown,
  headers: Record<string, string>,
  settings: PostSettings,
  signal?: AbortSignal,
): Promise<RawResponse> {
  const timeout = AbortSignal.timeout(settings.timeout);
  const combined = signal ? AbortSignal.any([timeout, signal]) : timeout;
  let response: Response;
  try {
    response = await settings.fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json;q=0.9',
        ...headers,
      },
      body: JSON.stringify(body),
      signal: combined,
      redirect: 'manual',
    });
  } catch (error) {
    if (timeout.aborted) {
      throw new ToolCallError(`${what} timed out after ${settings.timeout} ms`, {
        code: ErrorCode.TIMEOUT,
        retryable: true,
      });
    }
    if (signal?.aborted) throw new ToolCallError(`${what} was cancelled`, { code: ErrorCode.CANCELLED });
    const { cause } = error as { cause?: { code?: string; message?: string } };
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new ToolCallError(`${what} failed: network error (${reason})`, {
      code: ErrorCode.TOOL_ERROR,
      retryable: true,
    });
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    throw new ToolCallError(
      `${what} failed: HTTP ${response.status} redirect; configure the endpoint's final URL instead`,
      { code: ErrorCode.HTTP_ERROR, status: response.status },
    );
  }
  const bytes = await readBoundedBody(response, settings.maxResponseBytes, what);
  return {
    status: response.status,
    statusText: response.statusText,
    contentType: response.headers.get('content-type') ?? '',
    retryAfter: response.headers.get('retry-after'),
    text: new TextDecoder().decode(bytes),
  };
}

export function shorten(text: string, max = 500): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
