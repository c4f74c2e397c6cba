import { ErrorCode, type SecretRedactor, ToolCallError } from '@agent-tool-protocol/protocol';
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

/**
 * The response body as a value: JSON parsed, text as a string, anything else as base64, with every
 * configured secret redacted (in parsed JSON too, whatever escapes spelled it).
 */
export function parseBody(bytes: Uint8Array, contentType: string, redactor: SecretRedactor): unknown {
  if (bytes.byteLength === 0) return null;
  if (contentType === '' || isJsonMediaType(contentType) || isTextMediaType(contentType)) {
    const text = redactor.redact(decoder.decode(bytes));
    if (contentType === '' || isJsonMediaType(contentType)) {
      try {
        return redactor.redactValue(JSON.parse(text));
      } catch {
        return text;
      }
    }
    return text;
  }
  return redactor.redact(Buffer.from(bytes).toString('base64'));
}

/**
 * An error body for messages, redacted and cut at `max` characters. A JSON body is redacted as parsed
 * (escapes cannot hide a secret) and shown compact.
 */
export function bodyText(bytes: Uint8Array, redactor: SecretRedactor, max = 500): string {
  const raw = decoder.decode(bytes);
  const parsed = tryParse(raw);
  const text =
    parsed === undefined
      ? redactor.redact(raw)
      : redactor.redact(JSON.stringify(redactor.redactValue(parsed)));
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `Retry-After` in ms (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
