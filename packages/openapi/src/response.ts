import { ErrorCode, ToolCallError } from '@agent-tool-protocol/protocol';
import { isJsonMediaType, isTextMediaType } from './media.js';

/** Reads at most `limit` bytes of a body; a larger one is cancelled and reported. */
export async function readBounded(response: Response, limit: number, operation: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  const tooLarge = () =>
    new ToolCallError(`${operation} failed: the response is larger than ${limit} bytes`, {
      code: ErrorCode.RESULT_TOO_LARGE,
      status: response.status,
    });
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
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

const decoder = new TextDecoder();

/** Replaces every occurrence of a secret (and its JSON-escaped form) with `[REDACTED]`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.replaceAll(secret, '[REDACTED]');
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = out.replaceAll(escaped, '[REDACTED]');
  }
  return out;
}

/** The response body as a value: JSON parsed, text as a string, anything else as base64. */
export function parseBody(bytes: Uint8Array, contentType: string, secrets: readonly string[]): unknown {
  if (bytes.byteLength === 0) return null;
  if (contentType === '' || isJsonMediaType(contentType) || isTextMediaType(contentType)) {
    const text = redact(decoder.decode(bytes), secrets);
    if (contentType === '' || isJsonMediaType(contentType)) {
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    }
    return text;
  }
  return Buffer.from(bytes).toString('base64');
}

export function bodyText(bytes: Uint8Array, secrets: readonly string[], max = 500): string {
  const text = redact(decoder.decode(bytes.subarray(0, max * 4)), secrets);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** `Retry-After` in ms (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
