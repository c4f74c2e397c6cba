import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError } from '@agent-tool-protocol/protocol';
import { parse as parseYaml } from 'yaml';

export type Document = Record<string, unknown>;

export interface LoadedSource {
  document: Document;
  /** Absolute URL of the document (file: or http:), when it has one; relative server URLs resolve against it. */
  baseUrl: string | undefined;
}

export interface SourceOptions {
  url?: string;
  path?: string;
  spec?: string | Record<string, unknown>;
  fetch: typeof fetch;
}

/** Reads, parses and bundles a spec: afterwards every `$ref` in `document` is local (`#/...`). */
export async function loadSource(options: SourceOptions): Promise<LoadedSource> {
  const { text, object, baseUrl, what } = await readSource(options);
  const document = object ?? parseText(text ?? '', what);
  if (!hasExternalRefs(document)) return { document, baseUrl };
  // The bundler rewrites the document in place: never the caller's object.
  const copy = object === undefined ? document : structuredClone(document);
  return { document: await bundleExternalRefs(copy, baseUrl, what, options.fetch), baseUrl };
}

async function readSource(options: SourceOptions): Promise<{
  text?: string;
  object?: Document;
  baseUrl: string | undefined;
  what: string;
}> {
  if (options.spec !== undefined) {
    if (typeof options.spec === 'string') return { text: options.spec, baseUrl: undefined, what: 'spec' };
    return { object: options.spec, baseUrl: undefined, what: 'spec' };
  }
  if (options.path !== undefined) {
    const absolute = isAbsolute(options.path) ? options.path : resolvePath(options.path);
    return { text: await readSpecFile(absolute), baseUrl: pathToFileURL(absolute).href, what: options.path };
  }
  const url = options.url ?? '';
  if (url.startsWith('file:')) {
    return { text: await readSpecFile(fileURLToPath(url)), baseUrl: url, what: url };
  }
  if (!/^https?:\/\//.test(url)) throw new ConfigError(`url must be an http(s) or file URL, got "${url}"`);
  return { text: await fetchText(url, options.fetch), baseUrl: url, what: url };
}

async function readSpecFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read OpenAPI spec file ${path}: ${(error as Error).message}`);
  }
}

async function fetchText(url: string, fetchImpl: typeof fetch): Promise<string> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      headers: { accept: 'application/json, application/yaml, text/yaml, */*' },
    });
  } catch (error) {
    throw new ConfigError(`Cannot fetch OpenAPI spec ${url}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new ConfigError(`Cannot fetch OpenAPI spec ${url}: HTTP ${response.status}`);
  return response.text();
}

function parseText(text: string, what: string): Document {
  let value: unknown;
  try {
    value = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 1000 });
  } catch (error) {
    throw new ConfigError(`Cannot parse OpenAPI spec ${what} as JSON or YAML: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`OpenAPI spec ${what} is not an object`);
  }
  return value as Document;
}

function hasExternalRefs(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasExternalRefs);
  if (typeof value !== 'object' || value === null) return false;
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string' && !child.startsWith('#')) return true;
    if (typeof child === 'object' && child !== null && hasExternalRefs(child)) return true;
  }
  return false;
}

/** Resolves relative/remote `$ref`s with json-schema-ref-parser's bundler (internal refs stay refs). */
async function bundleExternalRefs(
  document: Document,
  baseUrl: string | undefined,
  what: string,
  fetchImpl: typeof fetch,
): Promise<Document> {
  const { $RefParser } = await import('@apidevtools/json-schema-ref-parser');
  const remoteBase = baseUrl !== undefined && /^https?:/.test(baseUrl);
  const base = baseUrl?.startsWith('file:')
    ? fileURLToPath(baseUrl)
    : (baseUrl ?? pathToFileURL(resolvePath('openapi.json')).href);
  try {
    const bundled = await $RefParser.bundle(base, document, {
      resolve: {
        // A remote spec must not read local files through a `$ref`.
        file: remoteBase ? false : undefined,
        http: {
          order: 1,
          canRead: /^https?:\/\//i,
          read: async (file: { url: string }) => fetchText(file.url, fetchImpl),
        },
      },
    } as never);
    return bundled as unknown as Document;
  } catch (error) {
    throw new ConfigError(`Cannot resolve a $ref in OpenAPI spec ${what}: ${(error as Error).message}`);
  }
}
