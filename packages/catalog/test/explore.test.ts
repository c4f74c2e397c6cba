import { Catalog } from '@agent-tool-protocol/catalog';
import { ExploreResponseSchema, NotFoundError } from '@agent-tool-protocol/protocol';
import { REALISTIC_GROUPS } from './support/realistic-catalog';

function realisticCatalog(): Catalog {
  const catalog = new Catalog();
  for (const group of REALISTIC_GROUPS) catalog.addGroup(group);
  return catalog;
}

describe('Catalog.explore', () => {
  const catalog = realisticCatalog();

  it('lists group types at the root', () => {
    expect(catalog.explore('/')).toEqual({
      type: 'directory',
      path: '/',
      items: [
        { name: 'custom', type: 'directory' },
        { name: 'mcp', type: 'directory' },
        { name: 'oauth', type: 'directory' },
        { name: 'openapi', type: 'directory' },
      ],
    });
  });

  it('lists groups of a type, namespaces of a group and functions of a namespace, sorted', () => {
    expect(catalog.explore('/openapi')).toEqual({
      type: 'directory',
      path: '/openapi',
      items: [
        { name: 'github', type: 'directory' },
        { name: 'stripe', type: 'directory' },
      ],
    });
    expect(catalog.explore('/openapi/github')).toEqual({
      type: 'directory',
      path: '/openapi/github',
      items: ['issues', 'pulls', 'repos', 'search', 'users'].map((name) => ({ name, type: 'directory' })),
    });
    expect(catalog.explore('/openapi/github/pulls')).toEqual({
      type: 'directory',
      path: '/openapi/github/pulls',
      items: ['create', 'list', 'merge'].map((name) => ({ name, type: 'function' })),
    });
    expect(catalog.explore('/custom/weather').items).toEqual(
      ['alerts', 'current', 'forecast'].map((name) => ({ name, type: 'function' })),
    );
  });

  it('describes a function with its definition and schemas', () => {
    const node = catalog.explore('/openapi/github/issues/create');
    expect(ExploreResponseSchema.parse(node)).toEqual(node);
    expect(node).toMatchObject({
      type: 'function',
      path: '/openapi/github/issues/create',
      name: 'issues.create',
      description: 'Create an issue in a repository',
      group: 'github',
      inputSchema: REALISTIC_GROUPS[0]!.functions[0]!.inputSchema,
      outputSchema: { $ref: '#/$defs/Issue' },
    });
    if (node.type !== 'function') throw new Error('expected a function');
    expect(node.definition.split('\n').slice(0, 2)).toEqual([
      '/** Create an issue in a repository */',
      'api.github.issues.create(input: GithubIssuesCreateInput): Promise<GithubIssuesCreateOutput>;',
    ]);
    // The definition declares every type the function uses, transitively.
    for (const name of [
      'GithubIssuesCreateInput',
      'GithubIssuesCreateOutput',
      'GithubIssue',
      'GithubSimpleUser',
      'GithubLabel',
    ]) {
      expect(node.definition).toContain(`type ${name} = `);
    }
    expect(node.definition).not.toContain('GithubPullRequest');
  });

  it('uses aliases in paths and accepts a group by its registered name', () => {
    const node = catalog.explore('/mcp/filesystem/read_file');
    expect(node).toMatchObject({ type: 'function', name: 'read_file', group: 'filesystem' });
    const local = new Catalog();
    local.addGroup({
      name: 'file-system',
      type: 'mcp',
      functions: [{ name: 'read-file', handler: async () => '' }],
    });
    expect(local.explore('/mcp/file-system')).toEqual({
      type: 'directory',
      path: '/mcp/file_system',
      items: [{ name: 'read_file', type: 'function' }],
    });
  });

  it('tolerates trailing and repeated slashes', () => {
    expect(catalog.explore('/openapi/')).toEqual(catalog.explore('/openapi'));
    expect(catalog.explore('//openapi//github/pulls/')).toEqual(catalog.explore('/openapi/github/pulls'));
    expect(catalog.explore('/openapi/github/pulls/merge/').path).toBe('/openapi/github/pulls/merge');
  });

  it.each([
    ['/nope', '/', 'nope'],
    ['/openapi/gitlab', '/openapi', 'gitlab'],
    ['/openapi/github/issues/destroy', '/openapi/github/issues', 'destroy'],
    ['/openapi/github/issues/create/more', '/openapi/github/issues/create', 'more'],
  ])('answers NotFoundError naming %s', (path, parent, missing) => {
    let error: unknown;
    try {
      catalog.explore(path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(NotFoundError);
    const notFound = error as NotFoundError;
    expect(notFound.httpStatus).toBe(404);
    expect(notFound.code).toBe('NOT_FOUND');
    expect(notFound.message).toContain(`"${path}"`);
    expect(notFound.message).toContain(`"${parent}" has no item "${missing}"`);
    expect(notFound.details).toMatchObject({ path, parent });
  });

  it('shows a name that is both a function and a namespace as a directory', () => {
    const local = new Catalog();
    const handler = async () => null;
    local.addGroup({
      name: 'g',
      type: 'custom',
      functions: [
        { name: 'issues', handler },
        { name: 'issues.create', handler },
      ],
    });
    expect(local.explore('/custom/g')).toEqual({
      type: 'directory',
      path: '/custom/g',
      items: [{ name: 'issues', type: 'directory' }],
    });
    expect(local.explore('/custom/g/issues').items).toEqual([{ name: 'create', type: 'function' }]);
    expect(local.resolve('g.issues')).toBeDefined();
  });

  it('shows an empty root for an empty catalog and follows changes', () => {
    const local = new Catalog();
    expect(local.explore('/')).toEqual({ type: 'directory', path: '/', items: [] });
    local.addGroup({ name: 'g', type: 'oauth', functions: [] });
    expect(local.explore('/').items).toEqual([{ name: 'oauth', type: 'directory' }]);
    expect(local.explore('/oauth/g')).toEqual({ type: 'directory', path: '/oauth/g', items: [] });
  });
});
