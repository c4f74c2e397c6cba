import { join } from 'node:path';
import { Catalog } from '@agent-tool-protocol/catalog';
import { loadGraphQL } from '@agent-tool-protocol/graphql';
import { typecheck } from '@agent-tool-protocol/testing';

// The agent-facing declarations of GitHub's GraphQL schema (as published on npm) must be valid TypeScript
// under tsc --strict: the catalog turns the loaded group's functions and `definitions` into named types.
const schemaDir = join(__dirname, '../../node_modules/@octokit/graphql-schema');

const USAGE = `
async function useGithub(): Promise<void> {
  const repo = await api.github.query_repository({ owner: 'octocat', name: 'hello-world' });
  const stars: number | undefined = repo?.stargazerCount;
  const login: string | undefined = repo?.owner?.login;
  const kind: string | undefined = repo?.owner?.__typename;
  const chosen = await api.github.query_repository({
    owner: 'octocat',
    name: 'hello-world',
    _fields: 'issues(first: 5, states: OPEN) { nodes { title } }',
  });
  const titles = (chosen?.issues?.nodes ?? []).map((issue) => issue?.title);
  const found = await api.github.query_search({ query: 'graphql', type: 'REPOSITORY', first: 10 });
  const names = (found.nodes ?? []).map((node) => (node?.__typename === 'Repository' ? node.nameWithOwner : node?.__typename));
  const after: string | null | undefined = found.pageInfo?.endCursor;
  for await (const node of api.github.query_search.paginate({ query: 'graphql', type: 'REPOSITORY', first: 50 })) {
    if (node?.__typename === 'Repository') void node.nameWithOwner;
  }
  const advisories = await api.github.query_securityAdvisories.all({ first: 100 }, { max: 500 });
  const ghsa: (string | undefined)[] = advisories.map((advisory) => advisory?.ghsaId);
  // @ts-expect-error repository does not page
  await api.github.query_repository.all({ owner: 'o', name: 'n' });
  const created = await api.github.mutation_createIssue({ input: { repositoryId: 'R_1', title: 'Broken build' } });
  const number: number | undefined = created?.issue?.number;
  // @ts-expect-error type is a SearchType enum value
  await api.github.query_search({ query: 'q', type: 'REPOS' });
  // @ts-expect-error repositoryId and title are required
  await api.github.mutation_createIssue({ input: { body: 'no title' } });
  // @ts-expect-error stargazerCount is a number
  const wrong: string | undefined = repo?.stargazerCount;
  void [stars, login, kind, titles, names, after, number, wrong, ghsa];
}
`;

describe("declarations of GitHub's GraphQL schema type-check with tsc --strict", () => {
  let typescript: string;
  beforeAll(async () => {
    const catalog = new Catalog();
    catalog.addGroup(
      await loadGraphQL(join(schemaDir, 'schema.json'), {
        name: 'github',
        url: 'https://api.github.com/graphql',
      }),
    );
    typescript = catalog.getDefinitions().typescript;
  }, 120_000);

  test('all 272 functions and their types compile with zero diagnostics, with usage code', () => {
    // Root fields that return Relay connections are callable objects with `paginate` and `all`.
    expect(typescript.match(/^ {4}(query|mutation)_\w+(\(|: \{)/gm)).toHaveLength(272);
    expect(typescript.match(/^ {4}(query|mutation)_\w+: \{/gm)).toHaveLength(5);
    expect(typecheck({ 'api.d.ts': typescript, 'usage.ts': USAGE })).toEqual([]);
  }, 120_000);

  test('the check is not vacuous: a wrong call is reported', () => {
    const diagnostics = typecheck({
      'api.d.ts': typescript,
      'usage.ts': "async function f() { await api.github.query_repository({ owner: 1, name: 'n' }); }",
    });
    expect(diagnostics.join('\n')).toMatch(/usage\.ts:1:.*'number' is not assignable to type 'string'/);
  }, 120_000);

  test('group definitions are prefixed with the group name, so none shadows a built-in', () => {
    expect(typescript).toMatch(/^type GithubRepository = \{/m);
    expect(typescript).not.toMatch(/^type (Error|Date|Map|Promise|Record|String|Boolean) =/m);
  });
});
