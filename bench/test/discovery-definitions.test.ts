import { type Catalog, HashingEmbeddings } from '@agent-tool-protocol/catalog';
import { typecheck } from '@agent-tool-protocol/testing';
import { encode } from 'gpt-tokenizer';
import { fixtureCatalog } from '../src/discovery-eval/fixtures.ts';

// Definitions over the real GitHub API (1,200+ operations from @octokit/openapi) plus a custom and
// an MCP group. Search quality is measured by the discovery evaluation (discovery-eval.test.ts).
describe('discovery over the GitHub API', () => {
  let catalog: Catalog;
  beforeAll(async () => {
    catalog = await fixtureCatalog(new HashingEmbeddings());
  }, 60_000);

  it('registers the whole GitHub API', () => {
    expect(catalog.listGroups().find((group) => group.name === 'github')!.functionCount).toBeGreaterThan(
      1200,
    );
  });

  it('answers the seed README question', async () => {
    const [first] = await catalog.searchHybrid('How do I create a user?');
    expect(`${first!.apiGroup}.${first!.functionName}`).toBe('crm.users.create');
  });

  it('fits the whole GitHub API in at most 1,000 tokens of compact definitions', () => {
    const compact = catalog.getDefinitions({ apiGroups: ['github'], detail: 'compact' }).typescript;
    expect(encode(compact).length).toBeLessThanOrEqual(1000);
    expect(encode(catalog.getDefinitions({ apiGroups: ['github'] }).typescript).length).toBeGreaterThan(
      100_000,
    );
    for (const namespace of ['issues', 'pulls', 'repos', 'actions', 'users', 'search']) {
      expect(compact).toMatch(new RegExp(`\\n    ${namespace}: AtpApiNode; // \\S`));
    }
    expect(compact).toContain('// Interact with GitHub Issues.');
  });

  it('compact definitions are valid TypeScript that agent code written for the full ones type-checks against', () => {
    const compact = catalog.getDefinitions({ detail: 'compact' }).typescript;
    const agent = [
      'async function main() {',
      "  const issue = await api.github.issues.create({ owner: 'o', repo: 'r', title: 't' });",
      "  const text = await api.filesystem.read_file({ path: '/tmp/x' });",
      "  await api.crm.users.create({ email: 'a@b.c' });",
      '  return [issue, text];',
      '}',
      'void main;',
    ].join('\n');
    expect(typecheck({ 'api.d.ts': compact, 'agent.ts': agent })).toEqual([]);
  });

  it('gives full signatures on demand for chosen functions and namespaces', () => {
    const picked = catalog.getDefinitions({
      functions: ['github.issues.create', 'crm.users', 'github.nope'],
    });
    expect(picked.apiGroups).toEqual(['crm', 'github']);
    expect(picked.typescript).toContain('// no function matches "github.nope": try search or explore');
    expect(picked.typescript).toContain(
      'create(input: GithubIssuesCreateInput): Promise<GithubIssuesCreateOutput>;',
    );
    expect(picked.typescript).toContain('type CrmUsersDeleteInput = {');
    expect(picked.typescript).not.toContain('GithubIssuesUpdateInput');
    expect(encode(picked.typescript).length).toBeLessThan(10_000);
    const agent =
      "async function main() { const issue = await api.github.issues.create({ owner: 'o', repo: 'r', title: 't' }); return issue.number; }\nvoid main;";
    expect(typecheck({ 'api.d.ts': picked.typescript, 'agent.ts': agent })).toEqual([]);
    expect(catalog.getDefinitions({ functions: ['github.issues.*'] }).typescript).toContain(
      'GithubIssuesUpdateInput',
    );
    expect(catalog.getDefinitions({ functions: ['github.issues.create'] })).toBe(
      catalog.getDefinitions({ functions: ['github.issues.create'] }),
    );
  });
});
