import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import {
  type APIGroup,
  type FunctionCallContext,
  type ResponseInfo,
  silentLogger,
} from '@agent-tool-protocol/protocol';
import { RecordingServer } from './helpers/recording-server';

// Paging styles read from a spec into `metadata.pagination`: one small operation per style, the cases that
// must not be detected, the `x-atp-pagination` extension, and the response headers a handler reports.

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const query = (name: string, schema: unknown, description?: string) => ({
  name,
  in: 'query',
  schema,
  ...(description ? { description } : {}),
});
const integer = { type: 'integer' };
const string = { type: 'string' };
const item = { type: 'object', properties: { id: string, name: string } };

const SPEC = {
  openapi: '3.0.3',
  info: { title: 'Styles', version: '1' },
  servers: [{ url: 'http://127.0.0.1:1' }],
  paths: {
    '/repos': {
      get: {
        operationId: 'linkList',
        parameters: [
          query('per_page', integer, 'The number of results per page (max 100).'),
          query('page', integer),
        ],
        responses: {
          '200': {
            description: 'ok',
            headers: { Link: { schema: string } },
            ...json({ type: 'array', items: item }),
          },
        },
      },
    },
    '/customers': {
      get: {
        operationId: 'stripeList',
        parameters: [
          query('limit', integer, 'Limit can range between 1 and 100, and the default is 10.'),
          query('starting_after', string),
          query('ending_before', string),
        ],
        responses: {
          '200': {
            description: 'ok',
            ...json({
              type: 'object',
              properties: {
                object: { type: 'string', enum: ['list'] },
                data: { type: 'array', items: { $ref: '#/components/schemas/Customer' } },
                has_more: { type: 'boolean' },
                url: string,
              },
            }),
          },
        },
      },
    },
    '/conversations.list': {
      get: {
        operationId: 'slackList',
        parameters: [
          query('limit', integer, 'Must be an integer no larger than 1000.'),
          query('cursor', string),
        ],
        responses: {
          '200': {
            description: 'ok',
            ...json({
              type: 'object',
              properties: {
                ok: { type: 'boolean' },
                channels: { type: 'array', items: item },
                response_metadata: { type: 'object', properties: { next_cursor: string } },
              },
            }),
          },
        },
      },
    },
    '/admin.teams.list': {
      get: {
        operationId: 'slackTemplate',
        parameters: [query('cursor', string)],
        responses: {
          '200': {
            description: 'ok',
            ...json({ type: 'object', properties: { ok: { type: 'boolean' } }, additionalProperties: true }),
          },
        },
      },
    },
    '/tasks': {
      get: {
        operationId: 'asanaList',
        parameters: [
          query('limit', integer, 'The value must be between 1 and 100.'),
          query('offset', string, 'Offset token. An offset to the next page returned by the API.'),
        ],
        responses: {
          '200': {
            description: 'ok',
            ...json({ type: 'object', properties: { data: { type: 'array', items: item } } }),
          },
        },
      },
    },
    '/numbered': {
      get: {
        operationId: 'pageList',
        parameters: [query('page', { type: 'integer', minimum: 0, default: 0 }), query('page_size', integer)],
        responses: {
          '200': {
            description: 'ok',
            ...json({
              type: 'object',
              properties: { total: integer, results: { type: 'array', items: item } },
            }),
          },
        },
      },
    },
    '/offsets': {
      get: {
        operationId: 'offsetList',
        parameters: [query('offset', integer), query('limit', { type: 'integer', maximum: 50 })],
        responses: { '200': { description: 'ok', ...json({ type: 'array', items: item }) } },
      },
    },
    '/several': {
      get: {
        operationId: 'severalLists',
        parameters: [query('page', integer)],
        responses: {
          '200': {
            description: 'ok',
            ...json({
              type: 'object',
              properties: { commits: { type: 'array', items: item }, files: { type: 'array', items: item } },
            }),
          },
        },
      },
    },
    '/complete': {
      get: {
        operationId: 'completeList',
        responses: { '200': { description: 'ok', ...json({ type: 'array', items: item }) } },
      },
    },
    '/single': {
      get: {
        operationId: 'single',
        parameters: [query('offset', string, 'Offset token.')],
        responses: { '200': { description: 'ok', ...json({ type: 'object', properties: { data: item } }) } },
      },
    },
    '/events': {
      get: {
        operationId: 'afterIsADate',
        parameters: [query('after', { type: 'string', format: 'date-time' }, 'Only events after this time.')],
        responses: { '200': { description: 'ok', ...json({ type: 'array', items: item }) } },
      },
    },
    '/declared': {
      get: {
        operationId: 'declared',
        'x-atp-pagination': {
          style: 'cursor',
          cursorInput: 'from',
          nextCursor: 'meta.continue',
          items: 'rows',
        },
        parameters: [query('from', string)],
        responses: { '200': { description: 'ok', ...json({ type: 'object' }) } },
      },
    },
    '/opted-out': {
      get: {
        operationId: 'optedOut',
        'x-atp-pagination': false,
        parameters: [query('page', integer)],
        responses: { '200': { description: 'ok', ...json({ type: 'array', items: item }) } },
      },
    },
  },
  components: { schemas: { Customer: { type: 'object', properties: { id: string, email: string } } } },
};

function paginationOf(group: APIGroup, name: string) {
  const fn = group.functions.find((candidate) => candidate.name === name);
  if (!fn) throw new Error(`no function ${name}`);
  return fn.metadata?.pagination;
}

describe('paging styles detected from a spec', () => {
  const skipped: Array<{ operation: string; reason: string }> = [];
  let group: APIGroup;
  beforeAll(async () => {
    group = await loadOpenAPI({
      name: 'styles',
      spec: SPEC,
      logger: {
        ...silentLogger,
        debug: (object, message) => {
          if (message === 'openapi: list not paged')
            skipped.push(object as { operation: string; reason: string });
        },
        warn: () => {},
      },
    });
  });

  test('RFC 5988 Link headers (GitHub), with the documented largest page size', () => {
    expect(paginationOf(group, 'linkList')).toEqual({
      style: 'link',
      items: '',
      pageSizeInput: 'per_page',
      maxPageSize: 100,
    });
  });

  test("Stripe lists: starting_after = the last item's id while has_more", () => {
    expect(paginationOf(group, 'stripeList')).toEqual({
      style: 'cursor',
      cursorInput: 'starting_after',
      cursorFromLastItem: 'id',
      hasMore: 'has_more',
      items: 'data',
      pageSizeInput: 'limit',
      maxPageSize: 100,
    });
  });

  test("Slack cursors: response_metadata.next_cursor, or found per response when the schema doesn't say", () => {
    expect(paginationOf(group, 'slackList')).toEqual({
      style: 'cursor',
      cursorInput: 'cursor',
      nextCursor: 'response_metadata.next_cursor',
      items: 'channels',
      pageSizeInput: 'limit',
      maxPageSize: 1000,
    });
    expect(paginationOf(group, 'slackTemplate')).toEqual({ style: 'cursor', cursorInput: 'cursor' });
  });

  test("Asana's offset tokens are cursors (next_page.offset is found per response)", () => {
    expect(paginationOf(group, 'asanaList')).toEqual({
      style: 'cursor',
      cursorInput: 'offset',
      items: 'data',
      pageSizeInput: 'limit',
      maxPageSize: 100,
    });
  });

  test('page numbers (first page from the schema) and numeric offsets', () => {
    expect(paginationOf(group, 'pageList')).toEqual({
      style: 'page',
      pageInput: 'page',
      firstPage: 0,
      items: 'results',
      pageSizeInput: 'page_size',
    });
    expect(paginationOf(group, 'offsetList')).toEqual({
      style: 'offset',
      offsetInput: 'offset',
      items: '',
      pageSizeInput: 'limit',
      maxPageSize: 50,
    });
  });

  test('not detected, with the reason logged: several lists, complete lists, no list, a date named after', () => {
    for (const name of ['severalLists', 'completeList', 'single', 'afterIsADate', 'optedOut']) {
      expect([name, paginationOf(group, name)]).toEqual([name, undefined]);
    }
    expect(skipped).toEqual(
      expect.arrayContaining([
        { operation: 'GET /several', reason: 'the response has several lists (commits, files)' },
        { operation: 'GET /complete', reason: 'a list without paging parameters (a complete list)' },
        { operation: 'GET /single', reason: 'a cursor parameter (offset) but the response has no list' },
        { operation: 'GET /events', reason: 'a list without paging parameters (a complete list)' },
      ]),
    );
  });

  test('x-atp-pagination declares a style (or false turns it off); an invalid one fails the load', async () => {
    expect(paginationOf(group, 'declared')).toEqual({
      style: 'cursor',
      cursorInput: 'from',
      nextCursor: 'meta.continue',
      items: 'rows',
    });
    const invalid = structuredClone(SPEC) as { paths: Record<string, { get: Record<string, unknown> }> };
    invalid.paths['/declared']!.get['x-atp-pagination'] = { style: 'cursor' };
    await expect(loadOpenAPI({ name: 'bad', spec: invalid })).rejects.toThrow(
      /x-atp-pagination of GET \/declared is not a valid pagination: paths\.\/declared\.get\.x-atp-pagination\.cursorInput/,
    );
  });

  test('pagination: false turns detection off (declared styles stay)', async () => {
    const off = await loadOpenAPI({ name: 'off', spec: SPEC, pagination: false });
    expect(off.functions.filter((fn) => fn.metadata?.pagination).map((fn) => fn.name)).toEqual(['declared']);
  });
});

describe('handlers report the response behind a result', () => {
  const server = new RecordingServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  test('status and headers (lower-case) of a successful response go to context.onResponse', async () => {
    server.respond = (_request, response) => {
      response.writeHead(200, {
        'content-type': 'application/json',
        Link: '<http://127.0.0.1/repos?page=2>; rel="next"',
      });
      response.end('[]');
    };
    const group = await loadOpenAPI({ name: 'styles', spec: SPEC, baseUrl: server.url });
    const fn = group.functions.find((candidate) => candidate.name === 'linkList')!;
    const seen: ResponseInfo[] = [];
    const context: FunctionCallContext = {
      clientId: 'c',
      executionId: 'e',
      onResponse: (response) => seen.push(response),
    };
    expect(await fn.handler({ page: 1 }, context)).toEqual([]);
    expect(seen).toEqual([
      expect.objectContaining({
        status: 200,
        headers: expect.objectContaining({ link: '<http://127.0.0.1/repos?page=2>; rel="next"' }),
      }),
    ]);
    // A failed call reports nothing.
    server.respond = (_request, response) => {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"message":"Not Found"}');
    };
    await expect(fn.handler({}, context)).rejects.toMatchObject({ code: 'HTTP_ERROR' });
    expect(seen).toHaveLength(1);
  });
});
