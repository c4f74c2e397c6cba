import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A real HTTP API on 127.0.0.1 (port 0) with one listing per paging style, each the way a well-known API
// pages, and the OpenAPI spec that describes it as those APIs' specs do. Every request is recorded.

export interface Item {
  id: string;
  n: number;
}

export const ITEM_COUNT = 23;
/** The largest page size the spec documents (and the server enforces). */
export const MAX_PAGE = 5;
/** A GitHub-style listing larger than the default item cap. */
export const BIG_COUNT = 1_234;

const items = (count: number): Item[] =>
  Array.from({ length: count }, (_, n) => ({ id: `it_${String(n).padStart(4, '0')}`, n }));
const ITEMS = items(ITEM_COUNT);
const BIG = items(BIG_COUNT);

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function size(query: URLSearchParams, name: string, max: number): number {
  const value = Number(query.get(name) ?? 3);
  return Number.isInteger(value) && value > 0 ? Math.min(value, max) : 3;
}

export class PagingAPI {
  /** Path and query of every request, in order. */
  readonly requests: URL[] = [];
  private server: Server | undefined;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** The requests to one listing (by path prefix). */
  requestsTo(prefix: string): URL[] {
    return this.requests.filter((url) => url.pathname.startsWith(prefix));
  }

  async start(): Promise<this> {
    this.server = createServer((incoming, response) => {
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      this.requests.push(url);
      this.route(url, response);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private route(url: URL, response: ServerResponse) {
    const query = url.searchParams;
    switch (url.pathname) {
      // GitHub: an array, `Link: <…?page=N>; rel="next"` (to a differently spelled path, as GitHub does).
      case '/repos/octo/hello/issues':
      case '/repositories/42/issues':
        return this.github(url, response, ITEMS);
      case '/big/issues':
        return this.github(url, response, BIG, 100);
      // Stripe: `{ object: 'list', data, has_more }`, the next page `starting_after` the last id.
      case '/v1/customers': {
        const limit = size(query, 'limit', MAX_PAGE);
        const after = query.get('starting_after');
        const start = after === null ? 0 : ITEMS.findIndex((item) => item.id === after) + 1;
        const data = ITEMS.slice(start, start + limit);
        return send(response, 200, {
          object: 'list',
          url: '/v1/customers',
          data,
          has_more: start + limit < ITEMS.length,
        });
      }
      // Slack: `response_metadata.next_cursor`, '' on the last page.
      case '/users.list': {
        const limit = size(query, 'limit', MAX_PAGE);
        const start = query.get('cursor')
          ? Number(Buffer.from(query.get('cursor')!, 'base64url').toString())
          : 0;
        const end = start + limit;
        return send(response, 200, {
          ok: true,
          members: ITEMS.slice(start, end),
          response_metadata: {
            next_cursor: end < ITEMS.length ? Buffer.from(String(end)).toString('base64url') : '',
          },
        });
      }
      // Asana: `offset` tokens, `next_page: { offset, path, uri }`, null on the last page.
      case '/tasks': {
        const limit = size(query, 'limit', MAX_PAGE);
        const offset = query.get('offset');
        const start = offset === null ? 0 : Number(offset.replace('eyJ', ''));
        const end = start + limit;
        return send(response, 200, {
          data: ITEMS.slice(start, end),
          next_page:
            end < ITEMS.length
              ? {
                  offset: `eyJ${end}`,
                  path: `/tasks?limit=${limit}&offset=eyJ${end}`,
                  uri: `${this.url}/tasks`,
                }
              : null,
        });
      }
      // Page numbers: `{ total, results }`, no Link header.
      case '/numbered/items': {
        const perPage = size(query, 'page_size', MAX_PAGE);
        const page = Number(query.get('page') ?? 1);
        return send(response, 200, {
          total: ITEMS.length,
          results: ITEMS.slice((page - 1) * perPage, page * perPage),
        });
      }
      default:
        return send(response, 404, { message: 'Not Found' });
    }
  }

  private github(url: URL, response: ServerResponse, all: Item[], max = MAX_PAGE): void {
    const perPage = size(url.searchParams, 'per_page', max);
    const page = Number(url.searchParams.get('page') ?? 1);
    const body = all.slice((page - 1) * perPage, page * perPage);
    const last = Math.ceil(all.length / perPage);
    const base = url.pathname.startsWith('/big') ? '/big/issues' : '/repositories/42/issues';
    const link = (n: number, rel: string) =>
      `<${this.url}${base}?per_page=${perPage}&page=${n}>; rel="${rel}"`;
    const links = page < last ? [link(page + 1, 'next'), link(last, 'last')] : [link(1, 'first')];
    send(response, 200, body, { link: links.join(', ') });
  }
}

const integer = { type: 'integer' };
const string = { type: 'string' };
const itemSchema = { $ref: '#/components/schemas/Item' };
const ok = (schema: unknown, headers?: Record<string, unknown>) => ({
  '200': { description: 'OK', ...(headers ? { headers } : {}), content: { 'application/json': { schema } } },
});
const q = (name: string, schema: unknown, description?: string) => ({
  name,
  in: 'query',
  schema,
  ...(description ? { description } : {}),
});

/** The spec, as GitHub, Stripe, Slack and Asana write theirs. */
export const PAGING_SPEC = {
  openapi: '3.0.3',
  info: { title: 'Paging styles', version: '1.0.0' },
  paths: {
    '/repos/{owner}/{repo}/issues': {
      get: {
        operationId: 'issues/list-for-repo',
        tags: ['issues'],
        parameters: [
          { name: 'owner', in: 'path', required: true, schema: string },
          { name: 'repo', in: 'path', required: true, schema: string },
          q('state', { type: 'string', enum: ['open', 'closed', 'all'] }),
          q('per_page', integer, `The number of results per page (max ${MAX_PAGE}).`),
          q('page', integer, 'The page number of the results to fetch.'),
        ],
        responses: ok({ type: 'array', items: itemSchema }, { Link: { schema: string } }),
      },
    },
    '/big/issues': {
      get: {
        operationId: 'issues/list-big',
        tags: ['issues'],
        parameters: [q('per_page', integer, 'The number of results per page (max 100).'), q('page', integer)],
        responses: ok({ type: 'array', items: itemSchema }, { Link: { schema: string } }),
      },
    },
    '/v1/customers': {
      get: {
        operationId: 'GetCustomers',
        tags: ['stripe'],
        parameters: [
          q(
            'limit',
            integer,
            `A limit on the number of objects to be returned. Limit can range between 1 and ${MAX_PAGE}.`,
          ),
          q('starting_after', string, 'A cursor for use in pagination.'),
        ],
        responses: ok({
          type: 'object',
          required: ['data', 'has_more', 'object', 'url'],
          properties: {
            data: { type: 'array', items: itemSchema },
            has_more: { type: 'boolean' },
            object: { type: 'string', enum: ['list'] },
            url: string,
          },
        }),
      },
    },
    '/users.list': {
      get: {
        operationId: 'users.list',
        tags: ['slack'],
        parameters: [
          q(
            'limit',
            integer,
            `The maximum number of items to return. Must be between 1 - ${MAX_PAGE} both inclusive.`,
          ),
          q(
            'cursor',
            string,
            "Set `cursor` to `next_cursor` returned by the previous call's `response_metadata`.",
          ),
        ],
        // Slack's default success template: nothing about the payload.
        responses: ok({ type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] }),
      },
    },
    '/tasks': {
      get: {
        operationId: 'getTasks',
        tags: ['asana'],
        parameters: [
          q('limit', integer, `Results per page. The value must be between 1 and ${MAX_PAGE}.`),
          q('offset', string, 'Offset token. An offset to the next page returned by the API.'),
        ],
        responses: ok({ type: 'object', properties: { data: { type: 'array', items: itemSchema } } }),
      },
    },
    '/numbered/items': {
      get: {
        operationId: 'listNumbered',
        tags: ['numbered'],
        parameters: [
          q('page', { type: 'integer', minimum: 1 }),
          q('page_size', { type: 'integer', maximum: MAX_PAGE }),
        ],
        responses: ok({
          type: 'object',
          properties: { total: integer, results: { type: 'array', items: itemSchema } },
        }),
      },
    },
  },
  components: {
    schemas: {
      Item: { type: 'object', required: ['id', 'n'], properties: { id: string, n: integer } },
    },
  },
};
