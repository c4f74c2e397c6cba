import type { SecretRedactor } from '@agent-tool-protocol/protocol';
import { isJsonMediaType, isTextMediaType } from './media.js';

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
