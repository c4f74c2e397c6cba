import { ErrorCode, type SandboxErrorInfo } from '@agent-tool-protocol/protocol';
import { sandboxErrorDetails } from './error-details.js';

/** A host value as JSON text for the sandbox; `null` means `undefined`. Throws when not copyable. */
export function toJsonText(value: unknown): string | null {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  return text === undefined ? null : text;
}

const ERROR_NAME = /^[A-Za-z_$][\w$]{0,63}$/;

/**
 * A host error as the sandbox sees it: name (`ValidationError`), message, code, (for HTTP APIs) status
 * and its `details` (plain JSON, secret keys redacted, size-capped; see `sandboxErrorDetails`), never a
 * host stack.
 */
export function errorInfoFromHost(
  error: unknown,
  fallbackCode: string = ErrorCode.TOOL_ERROR,
): SandboxErrorInfo {
  if (typeof error === 'object' && error !== null) {
    const candidate = error as {
      name?: unknown;
      message?: unknown;
      code?: unknown;
      status?: unknown;
      details?: unknown;
    };
    const info: SandboxErrorInfo = {
      message: typeof candidate.message === 'string' ? candidate.message : String(error),
      code: typeof candidate.code === 'string' && candidate.code !== '' ? candidate.code : fallbackCode,
    };
    if (typeof candidate.name === 'string' && ERROR_NAME.test(candidate.name)) info.name = candidate.name;
    if (typeof candidate.status === 'number' && Number.isFinite(candidate.status))
      info.status = candidate.status;
    const { details, truncated } = sandboxErrorDetails(candidate.details);
    if (details !== undefined) info.details = details;
    if (truncated) info.detailsTruncated = true;
    return info;
  }
  return { message: String(error), code: fallbackCode };
}

/** FNV-1a over a string: a cheap digest to recognise the same call during replay. */
export function digest(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `${(hash >>> 0).toString(16)}.${text.length}`;
}

export function describe(error: unknown): string {
  if (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  ) {
    return (error as { message: string }).message;
  }
  return String(error);
}
