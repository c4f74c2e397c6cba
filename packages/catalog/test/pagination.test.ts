import { Catalog } from '@agent-tool-protocol/catalog';
import type {
  APIGroup,
  FunctionCallContext,
  FunctionDef,
  PageCallAnswer,
  Pagination,
} from '@agent-tool-protocol/protocol';
import { typecheck } from '@agent-tool-protocol/testing';

// Page calls (`<fn>.<helper>#page`) resolved by the catalog: one ordinary call of the paged function per
// page, the page's items and the next page's input read according to `metadata.pagination`; and the
// `paginate` / `all` members in the declarations of functions that page.

const CONTEXT = { clientId: 'c1', executionId: 'e1' };

interface Recorded {
  inputs: unknown[];
}

/** A function answering `respond(input)`, reporting `headers(input)` as its HTTP response headers. */
function paged(
  name: string,
  pagination: Pagination,
  respond: (input: Record<string, unknown>) => unknown,
  recorded: Recorded,
  extra: Partial<FunctionDef> = {},
  headers?: (input: Record<string, unknown>) => Record<string, string>,
): FunctionDef {
  return {
    name,
    metadata: { operationType: 'read', pagination },
    inputSchema: {
      type: 'object',
      properties: {
        q: { type: 'string' },
        page: { type: 'integer' },
        per_page: { type: 'integer' },
        offset: { type: 'integer' },
        limit: { type: 'integer' },
        cursor: { type: 'string' },
        starting_after: { type: 'string' },
        labels: { type: 'array', items: { type: 'string' } },
        open: { type: 'boolean' },
      },
      additionalProperties: false,
    },
    handler: (input: Record<string, unknown>, context: FunctionCallContext) => {
      recorded.inputs.push(input);
      if (headers) context.onResponse?.({ status: 200, headers: headers(input) });
      return respond(input);
    },
    ...extra,
  };
}

async function pageOf(catalog: Catalog, path: string, input: unknown): Promise<PageCallAnswer> {
  const fn = catalog.resolve(path);
  if (!fn) throw new Error(`no ${path}`);
  fn.validateInput?.(input);
  return (await fn.call(input, CONTEXT)) as PageCallAnswer;
}

/** Follows a listing like the sandbox does: merges `next` into the input until it is null. */
async function everything(catalog: Catalog, path: string, input: Record<string, unknown> = {}) {
  const items: unknown[] = [];
  let current = input;
  for (let calls = 0; calls < 50; calls++) {
    const answer = await pageOf(catalog, `${path}.all#page`, current);
    if (!('page' in answer)) throw new Error('not a page');
    items.push(...answer.page.items);
    if (answer.page.next === null) return { items, calls: calls + 1, last: answer.page };
    current = { ...current, ...answer.page.next };
  }
  throw new Error('never ended');
}

const range = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

describe('page calls', () => {
  const recorded: Recorded = { inputs: [] };
  const group: APIGroup = {
    name: 'shop',
    type: 'custom',
    functions: [
      // Numbered pages of per_page (max 4): 10 items.
      paged(
        'orders.list',
        { style: 'page', pageInput: 'page', pageSizeInput: 'per_page', maxPageSize: 4, items: 'orders' },
        (input) => {
          const size = input.per_page as number;
          const page = (input.page as number | undefined) ?? 1;
          return { orders: range((page - 1) * size, Math.min(page * size, 10)), total: 10 };
        },
        recorded,
      ),
      // Numeric offsets; the result is the list itself.
      paged(
        'items.list',
        { style: 'offset', offsetInput: 'offset', pageSizeInput: 'limit', items: '' },
        (input) => {
          const offset = (input.offset as number | undefined) ?? 0;
          return range(offset, Math.min(offset + ((input.limit as number | undefined) ?? 3), 7));
        },
        recorded,
      ),
      // Stripe: `starting_after` = the last item's id while `has_more`.
      paged(
        'customers.list',
        {
          style: 'cursor',
          cursorInput: 'starting_after',
          cursorFromLastItem: 'id',
          hasMore: 'has_more',
          items: 'data',
        },
        (input) => {
          const after = input.starting_after ? Number(String(input.starting_after).slice(4)) + 1 : 0;
          const ids = range(after, Math.min(after + 2, 5));
          return { object: 'list', data: ids.map((id) => ({ id: `cus_${id}` })), has_more: after + 2 < 5 };
        },
        recorded,
      ),
      // Slack: `response_metadata.next_cursor`, not declared: found per response; '' at the end.
      paged(
        'members.list',
        { style: 'cursor', cursorInput: 'cursor' },
        (input) => {
          const start = input.cursor ? Number(input.cursor) : 0;
          return {
            ok: true,
            members: range(start, Math.min(start + 2, 5)),
            response_metadata: { next_cursor: start + 2 < 5 ? String(start + 2) : '' },
          };
        },
        recorded,
      ),
      // Asana: an `offset` token in `next_page.offset`, next_page null at the end.
      paged(
        'tasks.list',
        { style: 'cursor', cursorInput: 'cursor', pageSizeInput: 'limit', items: 'data' },
        (input) => {
          const start = input.cursor ? Number(String(input.cursor).slice(3)) : 0;
          return {
            data: range(start, Math.min(start + 3, 7)),
            next_page: start + 3 < 7 ? { cursor: `tok${start + 3}`, path: '/tasks?offset=…' } : null,
          };
        },
        recorded,
      ),
      // GitHub: Link headers; every query value arrives as a string and is typed by the input schema.
      paged(
        'repos.list',
        { style: 'link', pageSizeInput: 'per_page', maxPageSize: 3 },
        (input) => {
          const page = (input.page as number | undefined) ?? 1;
          return range((page - 1) * 3, Math.min(page * 3, 8));
        },
        recorded,
        {},
        (input) => {
          const page = (input.page as number | undefined) ?? 1;
          const link = `<https://api.example.com/repositories/1/list?per_page=3&page=${page + 1}&labels=a,b&open=true&api_key=x>; rel="next", <https://api.example.com/x?page=3>; rel="last"`;
          return page * 3 < 8 ? { link } : { link: '<https://api.example.com/x?page=1>; rel="first"' };
        },
      ),
      paged(
        'relay.list',
        {
          style: 'relay',
          items: 'edges[].node',
          cursorInput: 'cursor',
          pageSizeInput: 'limit',
          nextCursor: 'pageInfo.endCursor',
          hasMore: 'pageInfo.hasNextPage',
        },
        (input) => {
          const start = input.cursor ? Number(input.cursor) : 0;
          const nodes = range(start, Math.min(start + 2, 5));
          return {
            edges: [...nodes.map((n) => ({ cursor: String(n), node: { n } })), { cursor: 'x', node: null }],
            pageInfo: { hasNextPage: start + 2 < 5, endCursor: String(start + 2) },
          };
        },
        recorded,
      ),
      paged(
        'stuck.list',
        { style: 'cursor', cursorInput: 'cursor', nextCursor: 'next' },
        () => ({ data: [1], next: 'same' }),
        recorded,
      ),
      paged('many.list', { style: 'cursor', cursorInput: 'cursor' }, () => ({ a: [1], b: [2] }), recorded),
      paged(
        'cursorless.list',
        { style: 'cursor', cursorInput: 'cursor' },
        () => ({ data: [1, 2] }),
        recorded,
      ),
      { name: 'plain', handler: () => 'plain' },
      { name: 'orders.all', handler: (input: unknown) => ({ own: input }) },
    ],
  };
  const catalog = new Catalog();
  catalog.addGroup(group);
  beforeEach(() => {
    recorded.inputs.length = 0;
  });

  test('numbered pages: the largest documented page size, until a short page', async () => {
    const { items, calls } = await everything(catalog, 'shop.orders.list', { q: 'x' });
    expect(items).toEqual(range(0, 10));
    expect(calls).toBe(3);
    expect(recorded.inputs).toEqual([
      { q: 'x', per_page: 4 },
      { q: 'x', per_page: 4, page: 2 },
      { q: 'x', per_page: 4, page: 3 },
    ]);
  });

  test('offsets: the next offset is this one plus the items read, until an empty page', async () => {
    const { items, calls } = await everything(catalog, 'shop.items.list');
    expect(items).toEqual(range(0, 7));
    // No page size known: pages go on until an empty one (3 + 3 + 1 + 0).
    expect(calls).toBe(4);
    const sized = await everything(catalog, 'shop.items.list', { limit: 3 });
    expect(sized.calls).toBe(3);
  });

  test("Stripe-style cursors: the last item's id while has_more", async () => {
    const { items, calls } = await everything(catalog, 'shop.customers.list');
    expect(items).toEqual(range(0, 5).map((id) => ({ id: `cus_${id}` })));
    expect(calls).toBe(3);
    expect(recorded.inputs.map((input) => (input as { starting_after?: string }).starting_after)).toEqual([
      undefined,
      'cus_1',
      'cus_3',
    ]);
  });

  test("undeclared cursor places are found per response (Slack's response_metadata, Asana's next_page)", async () => {
    const slack = await everything(catalog, 'shop.members.list');
    expect(slack.items).toEqual(range(0, 5));
    expect(slack.calls).toBe(3);
    const asana = await everything(catalog, 'shop.tasks.list');
    expect(asana.items).toEqual(range(0, 7));
    expect(asana.calls).toBe(3);
    expect(recorded.inputs.slice(-3)).toEqual([{}, { cursor: 'tok3' }, { cursor: 'tok6' }]);
  });

  test('Link headers: only declared query parameters are taken, typed by the input schema', async () => {
    const { items, calls } = await everything(catalog, 'shop.repos.list');
    expect(items).toEqual(range(0, 8));
    expect(calls).toBe(3);
    // The link's api_key is not an input of the function: never copied into the next input.
    expect(recorded.inputs).toEqual([
      { per_page: 3 },
      { per_page: 3, page: 2, labels: ['a', 'b'], open: true },
      { per_page: 3, page: 3, labels: ['a', 'b'], open: true },
    ]);
  });

  test('Link headers: query values are typed by the input schema when it has alternatives (anyOf)', async () => {
    // An OpenAPI operation that takes its body flat or nested declares `anyOf` of the two input shapes.
    const inputs: unknown[] = [];
    const searches = new Catalog();
    searches.addGroup({
      name: 'search',
      type: 'custom',
      functions: [
        {
          name: 'query',
          metadata: { operationType: 'read', pagination: { style: 'link' } },
          inputSchema: {
            anyOf: [
              {
                type: 'object',
                properties: { page: { type: 'integer' }, term: { type: 'string' } },
                additionalProperties: false,
              },
              {
                type: 'object',
                properties: { page: { type: 'integer' }, body: { type: 'object' } },
                additionalProperties: false,
              },
            ],
          },
          handler: (input: Record<string, unknown>, context: FunctionCallContext) => {
            inputs.push(input);
            const page = (input.page as number | undefined) ?? 1;
            const headers: Record<string, string> =
              page < 2 ? { link: `<https://api.example.com/search?page=${page + 1}>; rel="next"` } : {};
            context.onResponse?.({ status: 200, headers });
            return [page];
          },
        },
      ],
    });
    const { items, calls } = await everything(searches, 'search.query', { term: 'x' });
    expect(items).toEqual([1, 2]);
    expect(calls).toBe(2);
    expect(inputs).toEqual([{ term: 'x' }, { term: 'x', page: 2 }]);
  });

  test('Relay connections: edges[].node items (edges without a node skipped), pageInfo cursors', async () => {
    const { items, calls } = await everything(catalog, 'shop.relay.list');
    expect(items).toEqual(range(0, 5).map((n) => ({ n })));
    expect(calls).toBe(3);
  });

  test('each answer carries the default item cap (catalog option pagination.defaultMaxItems)', async () => {
    const first = await pageOf(catalog, 'shop.members.list.paginate#page', {});
    expect(first).toMatchObject({ page: { defaultMax: 1000 } });
    const capped = new Catalog({ pagination: { defaultMaxItems: 25 } });
    capped.addGroup(group);
    expect(await pageOf(capped, 'shop.members.list.paginate#page', {})).toMatchObject({
      page: { defaultMax: 25 },
    });
    expect(() => new Catalog({ pagination: { defaultMaxItems: 0 } })).toThrow(/pagination\.defaultMaxItems/);
  });

  test('a listing that cannot go on fails with PAGINATION_ERROR naming the reason', async () => {
    await expect(pageOf(catalog, 'shop.stuck.list.all#page', { cursor: 'same' })).rejects.toMatchObject({
      code: 'PAGINATION_ERROR',
      message:
        'api.shop.stuck.list: the API returned the cursor it was given, so the next page would be this one again',
    });
    await expect(pageOf(catalog, 'shop.many.list.all#page', {})).rejects.toMatchObject({
      code: 'PAGINATION_ERROR',
      message:
        'api.shop.many.list: the response has several lists (a, b); its metadata.pagination.items must say which holds the items',
    });
    const cursorless = await pageOf(catalog, 'shop.cursorless.list.all#page', {});
    expect(cursorless).toMatchObject({ page: { items: [1, 2], next: null } });
    expect((cursorless as { page: { warning: string } }).page.warning).toMatch(
      /^api\.shop\.cursorless\.list: found no next cursor in the response \(looked at next_cursor, .*next_page\.cursor.*\); stopped after this page$/,
    );
  });

  test('a function that does not page refuses its helpers; one named like a helper answers its own result', async () => {
    const refusal = catalog.resolve('shop.plain.all#page');
    expect(refusal?.path).toBe('shop.plain');
    expect(() => refusal?.validateInput?.({})).toThrow(
      expect.objectContaining({
        code: 'PAGINATION_ERROR',
        message:
          'api.shop.plain.all() is not available: api.shop.plain does not page (only functions whose declarations show paginate and all do)',
      }),
    );
    expect(await pageOf(catalog, 'shop.orders.all#page', { q: 1 })).toEqual({ value: { own: { q: 1 } } });
    expect(catalog.resolve('shop.nothing.all#page')).toBeUndefined();
    expect(catalog.resolve('shop.orders.list.first#page')).toBeUndefined();
    expect(catalog.suggest('shop.order.list.all#page', 1)).toEqual(['shop.orders.list']);
  });

  test('page functions are the paged function to hooks (same path, metadata, validation) and stable objects', async () => {
    const page = catalog.resolve('shop.orders.list.all#page')!;
    const fn = catalog.resolve('shop.orders.list')!;
    expect(page).toMatchObject({ path: fn.path, group: 'shop', name: 'orders.list', metadata: fn.metadata });
    expect(catalog.resolve('shop.orders.list.paginate#page')).toBe(page);
    expect(() => page.validateInput?.({ bogus: 1 })).toThrow(/bogus/);
  });
});

describe('declarations of functions that page', () => {
  const handler = async () => ({});
  const group: APIGroup = {
    name: 'listing',
    type: 'custom',
    definitions: {
      Repo: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      RepoConnection: {
        type: 'object',
        properties: {
          nodes: { type: ['array', 'null'], items: { anyOf: [{ $ref: '#/$defs/Repo' }, { type: 'null' }] } },
          edges: {
            type: 'array',
            items: {
              type: 'object',
              properties: { node: { anyOf: [{ $ref: '#/$defs/Repo' }, { type: 'null' }] } },
            },
          },
          pageInfo: { type: 'object', properties: { hasNextPage: { type: 'boolean' } } },
        },
      },
    },
    functions: [
      {
        name: 'repos.list',
        handler,
        inputSchema: { type: 'object', properties: { org: { type: 'string' } }, required: ['org'] },
        outputSchema: { type: 'array', items: { $ref: '#/$defs/Repo' } },
        metadata: { pagination: { style: 'link', pageSizeInput: 'per_page' } },
      },
      {
        name: 'customers.list',
        handler,
        outputSchema: {
          type: 'object',
          properties: {
            data: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } },
            has_more: { type: 'boolean' },
          },
        },
        metadata: { pagination: { style: 'cursor', cursorInput: 'starting_after', items: 'data' } },
      },
      {
        name: 'search',
        handler,
        outputSchema: { $ref: '#/$defs/RepoConnection' },
        metadata: {
          pagination: {
            style: 'relay',
            items: 'nodes',
            cursorInput: 'after',
            nextCursor: 'pageInfo.endCursor',
            hasMore: 'pageInfo.hasNextPage',
          },
        },
      },
      {
        name: 'edges',
        handler,
        outputSchema: { anyOf: [{ $ref: '#/$defs/RepoConnection' }, { type: 'null' }] },
        metadata: {
          pagination: {
            style: 'relay',
            items: 'edges[].node',
            cursorInput: 'after',
            nextCursor: 'pageInfo.endCursor',
            hasMore: 'pageInfo.hasNextPage',
          },
        },
      },
      // Items not declared: the output's only list.
      {
        name: 'members',
        handler,
        outputSchema: {
          type: 'object',
          properties: { ok: { type: 'boolean' }, members: { type: 'array', items: { type: 'integer' } } },
        },
        metadata: { pagination: { style: 'cursor', cursorInput: 'cursor' } },
      },
      // No output schema at all: items are unknown.
      { name: 'untyped', handler, metadata: { pagination: { style: 'page', pageInput: 'page' } } },
      { name: 'plain', handler, outputSchema: { type: 'array', items: { type: 'string' } } },
    ],
  };
  const catalog = new Catalog();
  catalog.addGroup(group);
  const { typescript } = catalog.getDefinitions();

  test('declare paginate and all with the item type only for functions that page', () => {
    expect(typescript).toContain('type ListingReposListItem = ListingRepo;');
    expect(typescript).toContain(
      'paginate(input: ListingReposListInput, options?: { max?: number }): AsyncIterable<ListingReposListItem>;',
    );
    expect(typescript).toContain(
      'all(input: ListingReposListInput, options?: { max?: number }): Promise<ListingReposListItem[]>;',
    );
    expect(typescript).toContain('type ListingSearchItem = ListingRepo | null;');
    expect(typescript).toContain('type ListingEdgesItem = ListingRepo;');
    expect(typescript).toContain('type ListingMembersItem = number;');
    expect(typescript).toContain('type ListingUntypedItem = unknown;');
    expect(typescript).toMatch(/type ListingCustomersListItem = \{\s*id\?: string;\s*\};/);
    expect(typescript).toContain('plain(input?: Record<string, unknown>): Promise<ListingPlainOutput>;');
    expect(typescript.match(/^\s*paginate\(/gm)).toHaveLength(6);
  });

  test('the declarations and agent code using them compile with tsc --strict', () => {
    const usage = `
async function useListing(): Promise<void> {
  for await (const repo of api.listing.repos.list.paginate({ org: 'o' })) {
    const name: string = repo.name;
    void name;
  }
  const first = await api.listing.repos.list.all({ org: 'o' }, { max: 500 });
  const names: string[] = first.map((repo) => repo.name);
  const customers = await api.listing.customers.list.all();
  const ids: (string | undefined)[] = customers.map((customer) => customer.id);
  for await (const node of api.listing.search.paginate()) {
    const maybe: string | undefined = node?.name;
    void maybe;
  }
  for await (const node of api.listing.edges.paginate()) void node.name;
  const members: number[] = await api.listing.members.all({});
  const untyped: unknown[] = await api.listing.untyped.all();
  const page = await api.listing.repos.list({ org: 'o' });
  const direct: string | undefined = page[0]?.name;
  // @ts-expect-error org is required
  await api.listing.repos.list.all({});
  // @ts-expect-error plain does not page
  await api.listing.plain.all();
  // @ts-expect-error max is a number
  await api.listing.members.all({}, { max: '10' });
  void [names, ids, members, untyped, direct];
}
`;
    expect(typecheck({ 'api.d.ts': typescript, 'usage.ts': usage })).toEqual([]);
  });

  test('explore shows the helpers with the function', () => {
    const explored = catalog.explore('/custom/listing/repos/list');
    expect(JSON.stringify(explored)).toContain(
      'api.listing.repos.list.paginate(input: ListingReposListInput',
    );
  });

  test('metadata.pagination is validated when a group is registered', () => {
    const bad = new Catalog();
    expect(() =>
      bad.addGroup({
        name: 'bad',
        type: 'custom',
        functions: [
          { name: 'f', handler, metadata: { pagination: { style: 'cursor' } as unknown as Pagination } },
        ],
      }),
    ).toThrow(/functions\["f"\]\.metadata\.pagination\.cursorInput/);
  });
});
