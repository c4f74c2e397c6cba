import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGraphQL } from '@agent-tool-protocol/graphql';
import { type APIGroup, APIGroupSchema, isAtpError, silentLogger } from '@agent-tool-protocol/protocol';
import { buildSchema, getIntrospectionQuery, graphqlSync } from 'graphql';
import { LIBRARY_SDL, LibraryServer } from './helpers/library-server';

const server = new LibraryServer();
let dir: string;
let sdlFile: string;
let jsonFile: string;
const introspection = graphqlSync({ schema: buildSchema(LIBRARY_SDL), source: getIntrospectionQuery() });

beforeAll(async () => {
  await server.start();
  dir = await mkdtemp(join(tmpdir(), 'atp-graphql-'));
  sdlFile = join(dir, 'library.graphql');
  jsonFile = join(dir, 'library.json');
  await writeFile(sdlFile, LIBRARY_SDL);
  await writeFile(jsonFile, JSON.stringify(introspection));
});
afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

const fn = (group: APIGroup, name: string) => {
  const found = group.functions.find((f) => f.name === name);
  if (!found) throw new Error(`no function ${name} in ${group.functions.map((f) => f.name).join(', ')}`);
  return found;
};

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAtpError(error)) throw new Error(`expected an AtpError, got ${String(error)}`);
  return error;
}

const NAMES = [
  'query_book',
  'query_books',
  'query_author',
  'query_search',
  'query_node',
  'query_echo',
  'query_request',
  'query_broken',
  'mutation_addBook',
  'mutation_addReview',
  'mutation_deleteBook',
];

describe('the call shapes', () => {
  test("the original's: an endpoint URL is introspected, and calls go to it", async () => {
    const group = await loadGraphQL(server.url, { name: 'library' });
    expect(group.functions.map((f) => f.name)).toEqual(NAMES);
    expect(server.last.query).toContain('__schema');
    expect(group).toMatchObject({
      name: 'library',
      type: 'graphql',
      description: `GraphQL API at ${server.url}`,
      metadata: { source: 'graphql', url: server.url, queries: 8, mutations: 3 },
    });
    await fn(group, 'query_echo').handler({ text: 'hi' }, { clientId: 'c', executionId: 'e' });
    expect(server.last.variables).toEqual({ text: 'hi' });
  });

  test("the original's: an SDL file or an introspection JSON file, with the endpoint in options.url", async () => {
    for (const file of [sdlFile, jsonFile, `file://${sdlFile}`]) {
      const group = await loadGraphQL(file, { name: 'library', url: server.url });
      expect(group.functions.map((f) => f.name)).toEqual(NAMES);
      expect(group.metadata?.schemaSource).toBe(file.replace('file://', ''));
    }
  });

  test('the default group name is graphql, as in the original', async () => {
    expect((await loadGraphQL(sdlFile)).name).toBe('graphql');
  });

  test('the options object: sdl, introspection (object or text), a GraphQLSchema, or a path', async () => {
    const sources = [
      { sdl: LIBRARY_SDL },
      { introspection: introspection as unknown as Record<string, unknown> },
      { introspection: JSON.stringify(introspection.data) },
      { schema: buildSchema(LIBRARY_SDL) },
      { path: sdlFile },
    ];
    for (const source of sources) {
      const group = await loadGraphQL({ name: 'library', url: server.url, ...source });
      expect(group.functions.map((f) => f.name)).toEqual(NAMES);
      expect(() => APIGroupSchema.parse(group)).not.toThrow();
    }
  });

  test('introspectionUrl when the schema is served apart from the endpoint', async () => {
    const group = await loadGraphQL({
      name: 'library',
      url: 'http://127.0.0.1:9/graphql',
      introspectionUrl: server.url,
    });
    expect(group.metadata?.url).toBe('http://127.0.0.1:9/graphql');
    expect(group.functions).toHaveLength(NAMES.length);
  });
});

describe('options are validated with messages that name the field', () => {
  test.each([
    ['name', { name: 'my-api', sdl: LIBRARY_SDL }, /name: must be a valid identifier/],
    [
      'two sources',
      { name: 'a', sdl: LIBRARY_SDL, path: 'library.graphql' },
      /give at most one of path, sdl, introspection or schema/,
    ],
    ['no source', { name: 'a' }, /give the endpoint url \(introspected\) or the schema/],
    ['url', { name: 'a', url: 'ftp://x/graphql' }, /url: must be an http\(s\) URL/],
    ['queryDepthLimit', { name: 'a', sdl: LIBRARY_SDL, queryDepthLimit: 12 }, /queryDepthLimit: Too big/],
    [
      'depths',
      { name: 'a', sdl: LIBRARY_SDL, depthLimit: 2, queryDepthLimit: 3 },
      /queryDepthLimit: must not exceed depthLimit/,
    ],
    [
      'foreign schema',
      { schema: { getQueryType: () => null } },
      /schema must be a GraphQLSchema from the same graphql package; pass sdl instead/,
    ],
    ['unknown key', { name: 'a', sdl: LIBRARY_SDL, auht: {} }, /Unrecognized key: "auht"/],
    ['apiKey name', { name: 'a', sdl: LIBRARY_SDL, auth: { scheme: 'apiKey' } }, /auth\.name/],
    [
      'auth list',
      { name: 'a', sdl: LIBRARY_SDL, auth: [{ scheme: 'oauth' }, { scheme: 'nope' }] },
      /auth\.1\.scheme: Invalid discriminator value/,
    ],
    [
      'bearer secret',
      { name: 'a', sdl: LIBRARY_SDL, auth: { scheme: 'bearer' } },
      /auth\.token or auth\.envVar is required/,
    ],
  ])('%s', async (_label, options, message) => {
    const error = await failure(loadGraphQL(options as never));
    expect(error.code).toBe('CONFIG_ERROR');
    expect(error.message).toMatch(message);
  });

  test('a source argument cannot be combined with another schema source', async () => {
    const error = await failure(loadGraphQL(sdlFile, { sdl: LIBRARY_SDL } as never));
    expect(error.message).toBe(
      'loadGraphQL options: sdl cannot be combined with a source argument; pass one options object instead',
    );
  });

  test('unreadable files, invalid SDL, non-introspection JSON and failing endpoints are reported clearly', async () => {
    expect((await failure(loadGraphQL(join(dir, 'missing.graphql')))).message).toMatch(
      /Cannot read the GraphQL schema file .*missing\.graphql \(ENOENT\)/,
    );
    expect((await failure(loadGraphQL({ sdl: 'type Query { a: Nope }' }))).message).toMatch(
      /Cannot build a GraphQL schema from sdl: Unknown type "Nope"/,
    );
    expect((await failure(loadGraphQL({ introspection: { hello: 1 } }))).message).toBe(
      'introspection is not an introspection result: expected { __schema } or { data: { __schema } }',
    );
    const closed = new LibraryServer();
    await closed.start();
    const url = closed.url;
    await closed.stop();
    expect((await failure(loadGraphQL(url))).message).toMatch(
      /GraphQL introspection of .* failed: network error/,
    );
    server.intercept = (_request, response) => {
      response.writeHead(500, { 'content-type': 'text/plain' }).end('upstream down');
      return true;
    };
    try {
      expect((await failure(loadGraphQL(server.url))).message).toBe(
        `GraphQL introspection of ${server.url} failed: HTTP 500: upstream down`,
      );
    } finally {
      server.intercept = undefined;
    }
  });

  test('an SDL member defined twice keeps its first definition and is reported (GitHub publishes such SDL)', async () => {
    const warnings: unknown[] = [];
    const logger = { ...silentLogger, warn: (object: unknown) => warnings.push(object) };
    const group = await loadGraphQL({
      name: 'twice',
      sdl: 'type Query { a: Int, b: String, a: Int }\nextend type Query { b: String }',
      logger,
    });
    expect(group.functions.map((f) => f.name)).toEqual(['query_a', 'query_b']);
    expect(warnings).toEqual([{ group: 'twice', duplicates: ['Query.a', 'Query.b'] }]);
  });
});

describe('functions', () => {
  let group: APIGroup;
  beforeAll(async () => {
    group = await loadGraphQL({ name: 'library', sdl: LIBRARY_SDL, url: server.url });
  });

  test('queries read, mutations write; descriptions come from the schema', () => {
    expect(group.description).toBe('A small library: books, authors and reviews.');
    expect(fn(group, 'query_book')).toMatchObject({
      description: 'One book by id.',
      metadata: {
        operationType: 'read',
        tags: ['query'],
        graphqlOperation: 'query',
        graphqlField: 'book',
        returnType: 'Book',
      },
    });
    expect(fn(group, 'mutation_deleteBook').metadata).toMatchObject({
      operationType: 'write',
      tags: ['mutation'],
      returnType: 'Boolean!',
    });
  });

  test('a root field returning a Relay connection with first/after is marked as pageable', () => {
    expect(fn(group, 'query_books').metadata?.pagination).toEqual({
      style: 'relay',
      items: 'nodes',
      cursorInput: 'after',
      pageSizeInput: 'first',
      nextCursor: 'pageInfo.endCursor',
      hasMore: 'pageInfo.hasNextPage',
    });
    for (const name of NAMES.filter((n) => n !== 'query_books')) {
      expect(fn(group, name).metadata?.pagination).toBeUndefined();
    }
  });

  test('inputs: arguments with required non-null ones, enums and input objects as shared definitions, _fields', () => {
    expect(fn(group, 'query_books').inputSchema).toEqual({
      type: 'object',
      properties: {
        first: { type: ['integer', 'null'] },
        after: { type: ['string', 'null'] },
        filter: { anyOf: [{ $ref: '#/$defs/BookFilter' }, { type: 'null' }] },
        _fields: expect.objectContaining({ type: 'string' }),
      },
      additionalProperties: false,
    });
    expect(fn(group, 'mutation_addBook').inputSchema).toMatchObject({
      properties: { input: { $ref: '#/$defs/NewBook' } },
      required: ['input'],
    });
    expect(group.definitions?.NewBook).toEqual({
      type: 'object',
      properties: {
        title: { type: 'string' },
        year: { type: ['integer', 'null'] },
        genre: { $ref: '#/$defs/Genre' },
        authorId: { type: ['string', 'integer'] },
        tags: { type: ['array', 'null'], items: { type: 'string' } },
      },
      required: ['title', 'genre', 'authorId'],
      additionalProperties: false,
    });
    expect(group.definitions?.Genre).toEqual({
      type: 'string',
      enum: ['SCIENCE_FICTION', 'FANTASY', 'MYSTERY'],
    });
  });

  test('outputs: object types with optional fields (only selected ones come back), interfaces and unions', () => {
    expect(fn(group, 'query_book').outputSchema).toEqual({
      anyOf: [{ $ref: '#/$defs/Book' }, { type: 'null' }],
    });
    expect(fn(group, 'query_search').outputSchema).toEqual({
      type: 'array',
      items: { $ref: '#/$defs/SearchResult' },
    });
    const book = group.definitions?.Book as { properties: Record<string, unknown>; required?: unknown };
    expect(book.required).toBeUndefined();
    expect(book.properties).toMatchObject({
      __typename: { const: 'Book' },
      title: { type: 'string', description: 'The title as printed on the cover.' },
      genre: { $ref: '#/$defs/Genre' },
      author: { $ref: '#/$defs/Author' },
      rating: { type: ['number', 'null'] },
      oldTitle: { type: ['string', 'null'], description: 'Deprecated: Use title.' },
    });
    // Abstract types always carry __typename (every selection of one asks for it): unions narrow on it.
    const member = (name: string) => ({
      allOf: [
        { $ref: `#/$defs/${name}` },
        { type: 'object', properties: { __typename: { const: name } }, required: ['__typename'] },
      ],
    });
    expect(group.definitions?.SearchResult).toEqual({ anyOf: [member('Book'), member('Author')] });
    expect(group.definitions?.Node).toMatchObject({
      properties: { __typename: { type: 'string', enum: ['Author', 'Book'] }, id: { type: 'string' } },
      required: ['__typename'],
    });
  });

  test('custom scalars: string-like names are strings, others unknown, and options.scalars wins', async () => {
    const sdl =
      'scalar DateTime\nscalar JSON\nscalar Money\ntype Query { at: DateTime, blob: JSON, price: Money }';
    const plain = await loadGraphQL({ sdl });
    expect(fn(plain, 'query_at').outputSchema).toEqual({ type: ['string', 'null'], description: 'DateTime' });
    expect(fn(plain, 'query_blob').outputSchema).toEqual({ description: 'JSON' });
    const mapped = await loadGraphQL({ sdl, scalars: { Money: { type: 'integer', description: 'cents' } } });
    expect(fn(mapped, 'query_price').outputSchema).toEqual({
      type: ['integer', 'null'],
      description: 'cents',
    });
  });

  test('include / exclude by operation and field name (exact or glob)', async () => {
    const readOnly = await loadGraphQL({ sdl: LIBRARY_SDL, exclude: { operations: ['mutation'] } });
    expect(readOnly.functions.map((f) => f.name)).toEqual(NAMES.filter((n) => n.startsWith('query_')));
    const some = await loadGraphQL({
      sdl: LIBRARY_SDL,
      include: { fields: ['book*', 'add*'] },
      exclude: { fields: ['addReview'] },
    });
    expect(some.functions.map((f) => f.name)).toEqual(['query_book', 'query_books', 'mutation_addBook']);
  });

  test('per-user OAuth makes an oauth group carrying its provider', async () => {
    const oauth = await loadGraphQL({
      name: 'lib',
      sdl: LIBRARY_SDL,
      auth: { scheme: 'oauth', provider: 'github', scopes: ['repo'] },
    });
    expect(oauth).toMatchObject({
      type: 'oauth',
      metadata: { authSchemes: ['oauth'], oauthProvider: 'github', oauthScopes: ['repo'] },
    });
  });
});
