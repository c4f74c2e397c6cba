import type { ServerModel } from './model.js';

/** An absolute base URL (no trailing slash) for a server entry, or undefined when it stays relative. */
export function serverUrl(
  server: ServerModel | undefined,
  variables: Record<string, string>,
  documentUrl: string | undefined,
): string | undefined {
  if (server === undefined) {
    return documentUrl?.startsWith('http') ? new URL('/', documentUrl).href.replace(/\/$/, '') : undefined;
  }
  const url = server.url.replace(
    /\{([^}]+)\}/g,
    (_, name: string) => variables[name] ?? server.variables[name] ?? '',
  );
  if (/^https?:\/\//i.test(url)) return url.replace(/\/+$/, '');
  if (documentUrl?.startsWith('http')) return new URL(url, documentUrl).href.replace(/\/+$/, '');
  return undefined;
}
