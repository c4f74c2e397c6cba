import { ErrorCode, type SandboxErrorInfo } from '@agent-tool-protocol/protocol';

/** A host value as JSON text for the sandbox; `null` means `undefined`. Throws when not copyable. */
export function toJsonText(value: unknown): string | null {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  return text === undefined ? null : text;
}

/** A host error as the sandbox sees it: message, code and (for HTTP APIs) status, never a host stack. */
export function errorInfoFromHost(
  error: unknown,
  fallbackCode: string = ErrorCode.TOOL_ERROR,
): SandboxErrorInfo {
  if (typeof error === 'object' && error !== null) {
    const candidate = error as { message?: unknown; code?: unknown; status?: unknown };
    const info: SandboxErrorInfo = {
      message: typeof candidate.message === 'string' ? candidate.message : String(error),
      code: typeof candidate.code === 'string' && candidate.code !== '' ? candidate.code : fallbackCode,
    };
    if (typeof candidate.status === 'number' && Number.isFinite(candidate.status))
      info.status = candidate.status;
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
