import { Catalog, createKeywordIndex, tokenize } from '@agent-tool-protocol/catalog';
import { SearchResultSchema } from '@agent-tool-protocol/protocol';
import { REALISTIC_GROUPS } from './support/realistic-catalog';

function realisticCatalog(): Catalog {
  const catalog = new Catalog();
  for (const group of REALISTIC_GROUPS) catalog.addGroup(group);
  return catalog;
}

const top = (catalog: Catalog, query: string, options = {}) =>
  catalog.search(query, options).map((result) => `${result.apiGroup}.${result.functionName}`);

describe('tokenize', () => {
  it('splits camelCase, snake_case, kebab-case and dots, lowercases and strips plurals and stop words', () => {
    expect(tokenize('getUserByID')).toEqual(['get', 'user', 'id']);
    expect(tokenize('list_repositories-forOrg.v2')).toEqual(['list', 'repository', 'org', 'v', '2']);
    expect(tokenize('Create a new user for the team')).toEqual(['create', 'new', 'user', 'team']);
    expect(tokenize('HTTPServer boxes classes status')).toEqual(['http', 'server', 'box', 'class', 'status']);
    expect(tokenize('the')).toEqual(['the']);
  });
});

describe('createKeywordIndex', () => {
  const index = createKeywordIndex([
    {
      id: 'a',
      fields: [
        { text: 'createUser', weight: 3 },
        { text: 'Create a user account', weight: 1 },
      ],
    },
    {
      id: 'b',
      fields: [
        { text: 'deleteUser', weight: 3 },
        { text: 'Delete a user account', weight: 1 },
      ],
    },
    { id: 'c', fields: [{ text: 'listRepositories', weight: 3 }] },
  ]);

  it('ranks by BM25 and breaks ties by id', () => {
    expect(index.size).toBe(3);
    expect(index.search('create user', 10).map((hit) => hit.id)).toEqual(['a', 'b']);
    const [first, second] = index.search('user', 10);
    expect(first!.score).toBe(second!.score);
    expect([first!.id, second!.id]).toEqual(['a', 'b']);
  });

  it('matches prefixes with a lower weight, honours k and the filter', () => {
    expect(index.search('repo', 10).map((hit) => hit.id)).toEqual(['c']);
    expect(index.search('user', 1)).toHaveLength(1);
    expect(index.search('user', 10, (id) => id !== 'a').map((hit) => hit.id)).toEqual(['b']);
    expect(index.search('', 10)).toEqual([]);
    expect(index.search('nothing matches', 10)).toEqual([]);
  });
});

describe('Catalog.search', () => {
  const catalog = realisticCatalog();

  it('returns protocol SearchResults, best first', () => {
    const results = catalog.search('create a user');
    expect(results[0]).toEqual({
      apiGroup: 'crm',
      functionName: 'users.create',
      name: 'crm.users.create',
      description: 'Create a new user account in the CRM',
      signature: '({ email: string; … 2 more }): Promise<{ id: string; email: string }>',
      relevanceScore: expect.any(Number),
    });
    for (const result of results) expect(SearchResultSchema.parse(result)).toEqual(result);
    const scores = results.map((result) => result.relevanceScore);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it.each([
    ['create a user', 'crm.users.create'],
    ['open a pull request', 'github.pulls.create'],
    ['merge pull request', 'github.pulls.merge'],
    ['send a slack message to a channel', 'slack.chat.postMessage'],
    ['read file contents', 'filesystem.read_file'],
    ['refund a charge', 'stripe.refunds.create'],
    ['weather forecast for a city', 'weather.forecast'],
    ['schedule a meeting', 'calendar.events.create'],
    ['comment on an issue', 'github.issues.createComment'],
    ['list invoices of a customer', 'stripe.invoices.list'],
    ['find slack member by email', 'slack.users.lookupByEmail'],
  ])('%j finds %s first', (query, expected) => {
    expect(top(catalog, query)[0]).toBe(expected);
  });

  it('searches parameter names and original (unaliased) names', () => {
    expect(top(catalog, 'thread_ts')[0]).toBe('slack.chat.postMessage');
    expect(top(catalog, 'get-file-info')[0]).toBe('filesystem.get_file_info');
  });

  it('filters by group and limits the number of results', () => {
    const results = top(catalog, 'create', { apiGroups: ['stripe', 'calendar'], maxResults: 3 });
    expect(results.length).toBeLessThanOrEqual(3);
    expect(results.length).toBeGreaterThan(0);
    for (const path of results) expect(path.startsWith('stripe.') || path.startsWith('calendar.')).toBe(true);
    expect(catalog.search('create')).toHaveLength(10);
    expect(catalog.search('create', { maxResults: 2 })).toHaveLength(2);
    expect(catalog.search('create', { apiGroups: ['nope'] })).toEqual([]);
  });

  it('returns nothing for a query without matching words', () => {
    expect(catalog.search('xylophone quartz')).toEqual([]);
    expect(catalog.search('   ')).toEqual([]);
  });

  it('sees new groups after a change', () => {
    const local = realisticCatalog();
    expect(top(local, 'translate language')).toEqual([]);
    local.addGroup({
      name: 'translate',
      type: 'custom',
      functions: [
        { name: 'translateText', description: 'Translate text to another language', handler: async () => '' },
      ],
    });
    expect(top(local, 'translate language')[0]).toBe('translate.translateText');
  });
});
