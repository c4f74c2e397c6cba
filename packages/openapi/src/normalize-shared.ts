import { deref, isRecord } from './pointer.js';

/** Operation parameters override path-item parameters with the same name and location. */
export function mergeParameters(
  document: unknown,
  pathLevel: unknown[],
  operationLevel: unknown[],
  where: string,
): Record<string, unknown>[] {
  const merged = new Map<string, Record<string, unknown>>();
  for (const raw of [...pathLevel, ...operationLevel]) {
    const parameter = deref(document, raw, `${where} parameters`);
    if (!isRecord(parameter) || typeof parameter.name !== 'string') continue;
    merged.set(`${parameter.in}:${parameter.name}`, parameter);
  }
  return [...merged.values()];
}

/** The success response: the lowest 2xx code, then `2XX`, then `default`. */
export function pickSuccessStatus(statuses: string[]): string | undefined {
  const explicit = statuses.filter((s) => /^2\d\d$/.test(s)).sort();
  return (
    explicit[0] ?? statuses.find((s) => s.toUpperCase() === '2XX') ?? statuses.find((s) => s === 'default')
  );
}

export function extensionsOf(value: Record<string, unknown>): Record<string, unknown> {
  const extensions: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) if (key.startsWith('x-')) extensions[key] = child;
  return extensions;
}

/** The lower-case names of the headers a response object documents. */
export function responseHeaderNames(response: unknown): string[] {
  if (!isRecord(response) || !isRecord(response.headers)) return [];
  return Object.keys(response.headers).map((name) => name.toLowerCase());
}
