import type { AuthRequest } from '@agent-tool-protocol/protocol';

/** A header's value whatever its case; the first one when repeated. */
export function headerValue(request: AuthRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() !== wanted) continue;
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined || first.trim() === '' ? undefined : first.trim();
  }
  return undefined;
}

/** The credential of `Authorization: Bearer <credential>`. */
export function bearerToken(request: AuthRequest): string | undefined {
  const match = headerValue(request, 'authorization')?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}
