// Type-check latency against GitHub's REST API (1,200+ operations from @octokit/openapi, loaded with
// @agent-tool-protocol/openapi): a 30-line agent snippet, cold (first check parses the declarations)
// and warm (p50/p99), and the first check after the catalog changes (incremental). Run by
// bench/src/suites/typecheck.ts; loaded by path so its dependencies stay in this package.

import { createHash } from 'node:crypto';
import { Catalog, generateRuntimeDefinitions } from '@agent-tool-protocol/catalog';
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import { AgentTypeChecker, type TypeCheckEnvironment } from '@agent-tool-protocol/typecheck';

export interface TypecheckMeasurements {
  functions: number;
  declarationChars: number;
  snippetLines: number;
  coldMs: number;
  warmMs: number[];
  afterChangeMs: number;
  diagnostics: number;
}

/** A realistic 30-line agent script; `variant` changes a literal so no result cache is hit. */
export function githubSnippet(variant: number): string {
  return `const owner = 'octo-org';
const repo = 'service-${variant}';
const info = await api.github.repos.get({ owner, repo });
atp.log.info('repository', { stars: info.stargazers_count, lang: info.language });
const issues = await api.github.issues.listForRepo({ owner, repo, state: 'open', per_page: 100 });
const stale = issues.filter((issue) => {
  const updated = new Date(issue.updated_at).getTime();
  return Date.now() - updated > ${variant + 30} * 24 * 3600 * 1000 && !issue.pull_request;
});
const byLabel = new Map<string, number>();
for (const issue of stale) {
  for (const label of issue.labels) {
    const name = typeof label === 'string' ? label : label.name;
    byLabel.set(name ?? 'none', (byLabel.get(name ?? 'none') ?? 0) + 1);
  }
}
const pulls = await api.github.pulls.list({ owner, repo, state: 'open' });
const drafts = pulls.filter((pull) => pull.draft).map((pull) => pull.number);
for (const issue of stale.slice(0, 5)) {
  await api.github.issues.createComment({
    owner,
    repo,
    issue_number: issue.number,
    body: 'This issue has had no activity for a while. Is it still relevant?',
  });
}
const commits = await api.github.repos.listCommits({ owner, repo, per_page: 10 });
const authors = [...new Set(commits.map((commit) => commit.commit.author?.name))];
atp.progress.report('done', 1);
return { stale: stale.length, labels: Object.fromEntries(byLabel), drafts, authors };`;
}

async function githubCatalog(): Promise<Catalog> {
  const specifier = '@octokit/openapi/generated/api.github.com.json';
  const spec = (await import(specifier, { with: { type: 'json' } })) as { default: Record<string, unknown> };
  const catalog = new Catalog();
  catalog.addGroup(await loadOpenAPI({ name: 'github', spec: structuredClone(spec.default) }));
  return catalog;
}

/** As the server builds it: one declarations part per group, keyed by a hash of its text. */
function environmentOf(catalog: Catalog): TypeCheckEnvironment {
  return {
    apiDeclarations: catalog.listGroups().map((group) => {
      const text = catalog.getDefinitions({ apiGroups: [group.name], detail: 'full' }).typescript;
      return { name: group.name, text, key: createHash('sha256').update(text).digest('base64url') };
    }),
    runtimeDeclarations: generateRuntimeDefinitions({}),
  };
}

export async function measureTypecheck(options: { iterations: number }): Promise<TypecheckMeasurements> {
  const catalog = await githubCatalog();
  const checker = new AgentTypeChecker();
  const environment = environmentOf(catalog);
  let started = performance.now();
  const first = checker.check(githubSnippet(0), environment);
  const coldMs = performance.now() - started;
  for (let i = 1; i <= 5; i++) checker.check(githubSnippet(i), environment);
  const warmMs: number[] = [];
  for (let i = 0; i < options.iterations; i++) {
    started = performance.now();
    checker.check(githubSnippet(100 + i), environment);
    warmMs.push(performance.now() - started);
  }
  catalog.addGroup({
    name: 'notes',
    type: 'custom',
    functions: [{ name: 'add', inputSchema: { type: 'object' }, handler: () => null }],
  });
  started = performance.now();
  // Includes building the environment (rendering and hashing each group's declarations), as the server does.
  checker.check(githubSnippet(1_000_000), environmentOf(catalog));
  const afterChangeMs = performance.now() - started;
  return {
    functions: catalog.listGroups().reduce((sum, group) => sum + group.functionCount, 0),
    declarationChars: catalog.getDefinitions({ detail: 'full' }).typescript.length,
    snippetLines: githubSnippet(0).split('\n').length,
    coldMs,
    warmMs,
    afterChangeMs,
    diagnostics: first.diagnostics.length,
  };
}
