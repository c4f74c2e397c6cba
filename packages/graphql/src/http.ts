import { ErrorCode, ToolCallError } from '@agent-tool-protocol/protocol';

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
  const bytes = await readBounded(response, settings.maxResponseBytes, what);
  return {
    status: response.status,
    statusText: response.statusText,
    contentType: response.headers.get('content-type') ?? '',
    retryAfter: response.headers.get('retry-after'),
    text: new TextDecoder().decode(bytes),
  };
}

async function readBounded(response: Response, limit: number, what: string): Promise<Uint8Array> {
  const tooLarge = () =>
    new ToolCallError(`${what} failed: the response is larger than ${limit} bytes`, {
      code: ErrorCode.RESULT_TOO_LARGE,
      status: response.status,
    });
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (response.body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export function shorten(text: string, max = 500): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
