import type { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { type PagingATP, startPagingATP } from './support/atp-paging';
import { BIG_COUNT, ITEM_COUNT, MAX_PAGE } from './support/paging-api';

// `for await (… of api.<fn>.paginate(input))` and `await api.<fn>.all(input, { max })` through a real ATP
// server and client: one local HTTP API speaking each paging style (GitHub's Link headers, Stripe's
// starting_after, Slack's next_cursor, Asana's offset tokens, page numbers) and a graphql-js server with
// a Relay connection. Every page is one counted tool call through the server's hooks.

const ALL_IDS = Array.from({ length: ITEM_COUNT }, (_, n) => `it_${String(n).padStart(4, '0')}`);
const PAGES = Math.ceil(ITEM_COUNT / MAX_PAGE);

let h: PagingATP;
let client: AgentToolProtocolClient;
beforeAll(async () => {
  h = await startPagingATP();
  client = await h.client();
}, 60_000);
afterAll(() => h.close());
beforeEach(() => {
  h.api.requests.length = 0;
  h.toolCalls.length = 0;
  h.approvals.length = 0;
});

// The item types come from the spec. Slack's default template says nothing about the payload, so its items
// are `unknown` and agent code narrows them itself.
const STYLES = [
  [
    'Link headers (GitHub)',
    'api.styles.issues.listForRepo',
    "{ owner: 'octo', repo: 'hello', state: 'open' }",
    '/re',
    'item',
  ],
  ['starting_after (Stripe)', 'api.styles.stripe.getCustomers', '{}', '/v1/customers', 'item'],
  [
    'next_cursor (Slack)',
    'api.styles.slack.usersList',
    '{}',
    '/users.list',
    '(item as { id: string; n: number })',
  ],
  ['offset tokens and next_page (Asana)', 'api.styles.asana.getTasks', '{}', '/tasks', 'item'],
  ['page numbers', 'api.styles.numbered.listNumbered', '{}', '/numbered/items', 'item'],
] as const;

/** Agent code must type-check against the declarations (the server refuses it otherwise). */
const TYPED = { typecheck: 'enforce' } as Record<string, unknown>;

describe.each(STYLES)('%s', (_style, fn, input, prefix, typed) => {
  test('for await yields every item once, in order, a page per call at the largest page size', async () => {
    const result = await client.execute(
      `const ids: string[] = [];
       for await (const item of ${fn}.paginate(${input})) ids.push(${typed}.id);
       return ids;`,
      TYPED,
    );
    expect(result).toMatchObject({ status: 'completed', result: ALL_IDS });
    const requests = h.api.requestsTo(prefix);
    // 23 items in pages of 5; page numbers and offsets end on the short fifth page.
    expect(requests).toHaveLength(PAGES);
    expect(result.stats.toolCallsCount).toBe(PAGES);
    for (const request of requests) {
      const size =
        request.searchParams.get('per_page') ??
        request.searchParams.get('limit') ??
        request.searchParams.get('page_size');
      expect(size).toBe(String(MAX_PAGE));
    }
    // Every page went through the hooks as an ordinary call of the function.
    expect(h.toolCalls.map((call) => call.path)).toEqual(Array(PAGES).fill(fn));
  });

  test('.all with max stops mid-page and fetches no further page', async () => {
    const result = await client.execute(
      `return (await ${fn}.all(${input}, { max: 7 })).map((item) => ${typed}.n);`,
      TYPED,
    );
    expect(result).toMatchObject({ status: 'completed', result: [0, 1, 2, 3, 4, 5, 6] });
    expect(h.api.requestsTo(prefix)).toHaveLength(2);
  });

  test('break after the 6th item: only the two pages it needed were fetched', async () => {
    const result = await client.execute(
      `let count = 0;
       for await (const item of ${fn}.paginate(${input})) { count++; if (${typed}.n === 5) break; }
       return count;`,
      TYPED,
    );
    expect(result).toMatchObject({ status: 'completed', result: 6 });
    expect(h.api.requestsTo(prefix)).toHaveLength(2);
  });
});

describe('what reaches the API', () => {
  test("GitHub: the next page's input comes from the Link's declared query parameters only", async () => {
    await client.execute(
      "return await api.styles.issues.listForRepo.all({ owner: 'octo', repo: 'hello', state: 'open' }, { max: 12 });",
    );
    // The Link points at /repositories/42/issues; the function keeps calling its own path with its input.
    expect(h.api.requests.map((url) => `${url.pathname}${url.search}`)).toEqual([
      '/repos/octo/hello/issues?state=open&per_page=5',
      '/repos/octo/hello/issues?state=open&per_page=5&page=2',
      '/repos/octo/hello/issues?state=open&per_page=5&page=3',
    ]);
    // Hooks see the agent's input with the page's cursor; the page size filled in on the way is not part of it.
    expect(h.toolCalls.map((call) => call.input)).toEqual([
      { owner: 'octo', repo: 'hello', state: 'open' },
      { owner: 'octo', repo: 'hello', state: 'open', page: 2 },
      { owner: 'octo', repo: 'hello', state: 'open', page: 3 },
    ]);
  });

  test('Stripe, Slack, Asana: the cursor each page hands out', async () => {
    await client.execute(
      `await api.styles.stripe.getCustomers.all({}, { max: 10 });
       await api.styles.slack.usersList.all({ limit: 2 }, { max: 4 });
       await api.styles.asana.getTasks.all({}, { max: 10 });`,
    );
    expect(h.api.requests.map((url) => `${url.pathname}${url.search}`)).toEqual([
      '/v1/customers?limit=5',
      '/v1/customers?limit=5&starting_after=it_0004',
      '/users.list?limit=2',
      `/users.list?limit=2&cursor=${Buffer.from('2').toString('base64url')}`,
      '/tasks?limit=5',
      '/tasks?limit=5&offset=eyJ5',
    ]);
  });
});

describe('policies apply per page', () => {
  test('a page that needs approval and is denied stops the listing there, with the items read so far', async () => {
    const result = await client.execute(
      `const seen: number[] = [];
       try {
         for await (const item of api.styles.numbered.listNumbered.paginate({ page_size: 4 })) seen.push(item.n);
       } catch (e) {
         return { seen, code: (e as { code?: string }).code, message: (e as Error).message };
       }
       return { seen };`,
      TYPED,
    );
    expect(result.result).toEqual({
      seen: [0, 1, 2, 3, 4, 5, 6, 7],
      code: 'APPROVAL_DENIED',
      message: 'Approval for api.styles.numbered.listNumbered was denied: not today',
    });
    expect(h.approvals).toEqual(['Read page 3 of api.styles.numbered.listNumbered?']);
    // The denied page was never requested.
    expect(h.api.requestsTo('/numbered').map((url) => url.searchParams.get('page'))).toEqual([null, '2']);
  });
});

describe('caps', () => {
  test("without max, the server's default cap (1,000) ends the listing and agent code is told", async () => {
    const result = await client.execute('return (await api.styles.issues.listBig.all()).length;');
    expect(result).toMatchObject({ status: 'completed', result: 1000 });
    expect(h.api.requestsTo('/big')).toHaveLength(10);
    expect(result.logs).toEqual([
      expect.objectContaining({
        level: 'warn',
        message:
          'api.styles.issues.listBig.all stopped at 1000 items, the default cap, with more pages unread; pass { max } to read more',
      }),
    ]);
    const more = await client.execute(
      'return (await api.styles.issues.listBig.all({}, { max: 5000 })).length;',
    );
    expect(more).toMatchObject({ status: 'completed', result: BIG_COUNT });
  });

  test('maxToolCalls bounds a listing: every page is a counted call', async () => {
    const result = await client.execute(
      'return (await api.styles.issues.listBig.all({}, { max: Infinity })).length;',
      {
        maxToolCalls: 4,
      },
    );
    expect(result).toMatchObject({ status: 'tool_calls_exceeded', error: { code: 'TOOL_CALLS_EXCEEDED' } });
    expect(h.api.requestsTo('/big')).toHaveLength(4);
  });
});

describe('GraphQL Relay connections', () => {
  test('for await over query_books pages with first/after; .all with max', async () => {
    const result = await client.execute(
      `const titles: string[] = [];
       for await (const book of api.library.query_books.paginate({ first: 2 })) titles.push(book.title ?? '');
       const firstThree = await api.library.query_books.all({ first: 2 }, { max: 3 });
       return { titles, firstThree: firstThree.map((book) => book.id) };`,
      TYPED,
    );
    expect(result).toMatchObject({
      status: 'completed',
      result: {
        titles: ['The Dispossessed', 'The Left Hand of Darkness', 'A Wizard of Earthsea', 'Dune'],
        firstThree: ['bk_4', 'bk_2', 'bk_1'],
      },
    });
    const afters = h.library.requests
      .slice(-4)
      .map((request) => (request.variables as { after?: string } | undefined)?.after ?? null);
    // Two pages for the loop, two for all (max 3 needs a second page of 2).
    expect(afters).toEqual([null, expect.any(String), null, expect.any(String)]);
    expect(h.toolCalls.map((call) => call.path)).toEqual(Array(4).fill('api.library.query_books'));
  });

  test('a _fields selection without the items says what to select', async () => {
    const result = await client.execute(
      "return await api.library.query_books.all({ first: 2, _fields: 'totalCount pageInfo { hasNextPage endCursor }' });",
    );
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({
      code: 'PAGINATION_ERROR',
      message:
        'api.library.query_books: the response has no list at "nodes" (a _fields selection must include nodes)',
    });
  });
});

describe('functions that do not page', () => {
  test('have no helpers in their declarations, and calling one fails clearly', async () => {
    const definitions = await client.getTypeDefinitions({ apiGroups: ['library'] });
    expect(definitions).toContain('paginate(input?: LibraryQueryBooksInput');
    expect(definitions.match(/^\s*paginate\(/gm)).toHaveLength(1);
    const result = await client.execute('return await api.library.query_book.all({ id: "bk_1" });');
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({
      code: 'PAGINATION_ERROR',
      message:
        'api.library.query_book.all() is not available: api.library.query_book does not page (only functions whose declarations show paginate and all do)',
    });
    expect(h.library.requests.filter((request) => request.query.includes('book('))).toHaveLength(0);
  });
});
