import { GraphQLCallError, loadGraphQL } from '@agent-tool-protocol/graphql';
import { type APIGroup, type FunctionCallContext, isAtpError } from '@agent-tool-protocol/protocol';
import { Kind, parse, print } from 'graphql';
import { LIBRARY_SDL, LibraryServer, send } from './helpers/library-server';
import { compileSchema, schemaProblems } from './helpers/output-schema';

const context: FunctionCallContext = { clientId: 'client-1', executionId: 'exec-1' };
const server = new LibraryServer();
let group: APIGroup;

beforeAll(async () => {
  await server.start();
  group = await loadGraphQL({
    name: 'library',
    sdl: LIBRARY_SDL,
    url: server.url,
    retry: { baseDelayMs: 1 },
  });
});
afterAll(() => server.stop());
beforeEach(() => {
  server.reset();
  server.intercept = undefined;
  server.requests.length = 0;
});

function call(name: string, input: unknown = {}, ctx = context, target = group): Promise<unknown> {
  const found = target.functions.find((f) => f.name === name);
  if (!found) throw new Error(`no function ${name}`);
  return Promise.resolve(found.handler(input, ctx));
}

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAtpError(error)) throw new Error(`expected an AtpError, got ${String(error)}`);
  return error;
}

/** The sent document, reprinted without the operation wrapper, for readable assertions. */
function sentSelection(): string {
  return print(parse(server.last.query));
}

describe('arguments travel as variables', () => {
  test('a query sends only the supplied arguments, declared with their GraphQL types', async () => {
    const result = await call('query_books', {
      first: 2,
      filter: { genre: 'SCIENCE_FICTION', tags: ['award'] },
    });
    expect(server.last.variables).toEqual({
      first: 2,
      filter: { genre: 'SCIENCE_FICTION', tags: ['award'] },
    });
    expect(server.last.operationName).toBeUndefined();
    const operation = parse(server.last.query).definitions[0];
    expect(operation).toMatchObject({
      kind: Kind.OPERATION_DEFINITION,
      operation: 'query',
      name: { value: 'library_query_books' },
    });
    expect(server.last.query).toMatch(
      /^query library_query_books\(\$first: Int, \$filter: BookFilter\) \{\n {2}books\(first: \$first, filter: \$filter\) \{/,
    );
    expect(result).toMatchObject({
      totalCount: 3,
      pageInfo: { hasNextPage: true, endCursor: 'bk_2' },
      nodes: [{ title: 'The Dispossessed' }, { title: 'The Left Hand of Darkness' }],
    });
  });

  test('a value that looks like GraphQL stays a literal: nothing is spliced into the document', async () => {
    const attack = '") { __typename } mutation { deleteBook(id: "bk_1") } #';
    const result = await call('query_echo', { text: attack });
    expect(result).toBe(attack);
    expect(server.last.variables).toEqual({ text: attack });
    expect(server.last.query).toBe('query library_query_echo($text: String!) {\n  echo(text: $text)\n}');
    expect(server.books.has('bk_1')).toBe(true);
    const book = await call('query_book', { id: 'bk_1") { title } #' });
    expect(book).toBeNull();
    expect(server.last.query).not.toContain('bk_1');
  });

  test('input objects and enums of a mutation go as variables too', async () => {
    const created = (await call('mutation_addBook', {
      input: { title: 'The Lathe of Heaven', year: 1971, genre: 'SCIENCE_FICTION', authorId: 'au_1' },
    })) as { id: string; title: string; author: { name: string } };
    expect(created).toMatchObject({
      title: 'The Lathe of Heaven',
      tags: [],
      author: { name: 'Ursula K. Le Guin' },
    });
    expect(server.books.get(created.id)).toMatchObject({
      title: 'The Lathe of Heaven',
      genre: 'SCIENCE_FICTION',
    });
    expect(server.last.query).toMatch(/^mutation library_mutation_addBook\(\$input: NewBook!\)/);
  });

  test('bad input is refused before any request, naming the argument', async () => {
    const cases: [string, unknown, string][] = [
      ['query_book', {}, 'library.query_book: missing required input "id"'],
      [
        'query_book',
        { id: 'bk_1', title: 'x' },
        'library.query_book: unknown input "title"; expected one of: id, _fields',
      ],
      [
        'mutation_addReview',
        { review: { bookId: 'bk_1', rating: 'five' } },
        'library.mutation_addReview: invalid input "review": review.rating: Int cannot represent non-integer value: "five"',
      ],
      [
        'query_books',
        { filter: { genre: 'POETRY' } },
        'library.query_books: invalid input "filter": filter.genre: Value "POETRY" does not exist in "Genre" enum.',
      ],
      ['query_book', [1], 'library.query_book expects an object input'],
    ];
    for (const [name, input, message] of cases) {
      const error = await failure(call(name, input));
      expect({ code: error.code, message: error.message }).toEqual({ code: 'VALIDATION_ERROR', message });
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('the default selection', () => {
  test('scalars and enums, nested objects one level down; no deprecated, required-argument or nested connection fields', async () => {
    const book = await call('query_book', { id: 'bk_3' });
    expect(sentSelection()).toBe(
      [
        'query library_query_book($id: ID!) {',
        '  book(id: $id) {',
        '    id',
        '    title',
        '    year',
        '    genre',
        '    tags',
        '    author {',
        '      id',
        '      name',
        '      born',
        '    }',
        '    reviews {',
        '      rating',
        '      text',
        '      reviewer',
        '    }',
        '    rating',
        '  }',
        '}',
      ].join('\n'),
    );
    expect(book).toEqual({
      id: 'bk_3',
      title: 'Dune',
      year: 1965,
      genre: 'SCIENCE_FICTION',
      tags: ['award'],
      author: { id: 'au_2', name: 'Frank Herbert', born: 1920 },
      reviews: [
        { rating: 5, text: 'Spice!', reviewer: 'ada' },
        { rating: 4, text: null, reviewer: 'grace' },
      ],
      rating: 4.5,
    });
  });

  test('a returned connection selects its scalars, pageInfo and nodes at the same depth', async () => {
    await call('query_books', { first: 1 });
    const selection = sentSelection();
    expect(selection).toContain(
      '    totalCount\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      startCursor\n      endCursor\n    }\n    nodes {\n      id\n      title',
    );
    expect(selection).toContain('      author {\n        id\n        name\n        born\n      }');
    expect(selection).not.toContain('edges');
  });

  test('unions select each member with a fragment and __typename; interfaces their own fields', async () => {
    const found = await call('query_search', { text: 'le' });
    expect(sentSelection()).toContain('    __typename\n    ... on Book {\n      id\n      title');
    // Union members sit at the union's level: Author.books is one level down, scalars only.
    expect(sentSelection()).toContain(
      '    ... on Author {\n      id\n      name\n      born\n      books {\n        id\n        title\n        year\n        genre\n        tags\n        rating\n      }\n    }',
    );
    expect(found).toEqual([
      expect.objectContaining({ __typename: 'Book', title: 'The Left Hand of Darkness' }),
      expect.objectContaining({ __typename: 'Author', name: 'Ursula K. Le Guin' }),
    ]);
    expect(await call('query_node', { id: 'au_2' })).toEqual({ __typename: 'Author', id: 'au_2' });
  });

  test('queryDepthLimit 0 selects scalars only; 2 goes a level further', async () => {
    const flat = await loadGraphQL({
      name: 'library',
      sdl: LIBRARY_SDL,
      url: server.url,
      queryDepthLimit: 0,
    });
    expect(await call('query_book', { id: 'bk_3' }, context, flat)).toEqual({
      id: 'bk_3',
      title: 'Dune',
      year: 1965,
      genre: 'SCIENCE_FICTION',
      tags: ['award'],
      rating: 4.5,
    });
    const deep = await loadGraphQL({
      name: 'library',
      sdl: LIBRARY_SDL,
      url: server.url,
      queryDepthLimit: 2,
    });
    const book = (await call('query_book', { id: 'bk_3' }, context, deep)) as {
      author: { books: { title: string }[] };
    };
    // Author.books leads back to Book, already on the path: left out rather than repeated.
    expect(book.author).toEqual({ id: 'au_2', name: 'Frank Herbert', born: 1920 });
  });

  test('results conform to the declared output schemas', async () => {
    expect(schemaProblems(group)).toEqual([]);
    const output = (name: string) => group.functions.find((f) => f.name === name)!.outputSchema!;
    const checks: [string, unknown][] = [
      ['query_book', { id: 'bk_3' }],
      ['query_books', { first: 2 }],
      ['query_search', { text: 'e' }],
      ['query_node', { id: 'bk_1' }],
      ['query_author', { id: 'au_1', _fields: 'name, books { title genre author { name } }' }],
    ];
    for (const [name, input] of checks) {
      const validate = compileSchema(group, output(name));
      const result = await call(name, input);
      expect({ name, valid: validate(result), errors: validate.errors ?? null }).toEqual({
        name,
        valid: true,
        errors: null,
      });
    }
    const invalid = compileSchema(group, output('query_book'));
    expect(invalid({ title: 7 })).toBe(false);
  });
});

describe('_fields: agent code chooses the fields', () => {
  test("the original's syntax, with nesting, arguments on nested fields, and inline fragments", async () => {
    expect(await call('query_book', { id: 'bk_3', _fields: 'id,title,reviews(first: 1){rating}' })).toEqual({
      id: 'bk_3',
      title: 'Dune',
      reviews: [{ rating: 5 }],
    });
    expect(sentSelection()).toBe(
      'query library_query_book($id: ID!) {\n  book(id: $id) {\n    id\n    title\n    reviews(first: 1) {\n      rating\n    }\n  }\n}',
    );
    expect(
      await call('query_search', {
        text: 'dune',
        _fields: ['__typename', '... on Book { excerpt(chars: 3) }'],
      }),
    ).toEqual([{ __typename: 'Book', excerpt: 'Dun' }]);
    expect(await call('query_search', { text: 'herbert', _fields: '... on Author { name }' })).toEqual([
      { __typename: 'Author', name: 'Frank Herbert' },
    ]);
    expect(server.last.query).toContain('search(text: $text) {\n    __typename\n    ... on Author {');
    const page = await call('query_books', {
      first: 1,
      _fields: 'pageInfo{endCursor} edges{cursor node{similar(first: 1){nodes{title}}}}',
    });
    expect(page).toEqual({
      pageInfo: { endCursor: 'bk_4' },
      edges: [{ cursor: 'bk_4', node: { similar: { nodes: [{ title: 'The Left Hand of Darkness' }] } } }],
    });
  });

  test('a selection is validated against the schema before sending; the error names the bad field', async () => {
    const cases: [string, RegExp][] = [
      [
        'id,titel',
        /invalid _fields "id,titel": Cannot query field "titel" on type "Book"\. Did you mean "title"\?/,
      ],
      [
        'id, author',
        /Field "author" of type "Author!" must have a selection of subfields\. Did you mean "author \{ \.\.\. \}"\?/,
      ],
      ['excerpt', /Field "excerpt" argument "chars" of type "Int!" is required, but it was not provided\./],
      [
        'id, author { name',
        /invalid _fields "id, author \{ name": Syntax Error: Expected Name, found <EOF>\./,
      ],
      ['id } mutation { deleteBook(id: "bk_1") }', /Syntax Error: Unexpected "}"\./],
      [
        'id } mutation { deleteBook(id: "bk_1")',
        /it must be a list of fields, e\.g\. "id,name,owner\{login\}"/,
      ],
      ['id } fragment F on Book { title', /it must be a list of fields/],
      ['...BookParts', /Unknown fragment "BookParts"\./],
      ['title(x: $secret)', /Variable "\$secret" is not defined/],
    ];
    for (const [fields, message] of cases) {
      const error = await failure(call('query_book', { id: 'bk_1', _fields: fields }));
      expect(error.code).toBe('VALIDATION_ERROR');
      expect(error.message).toMatch(message);
      expect(error.message.startsWith('library.query_book: invalid _fields')).toBe(true);
    }
    expect((await failure(call('query_book', { id: 'bk_1', _fields: 42 }))).message).toBe(
      'library.query_book: _fields must be a non-empty string such as "id,name,owner{login}" (or an array of them)',
    );
    expect(server.requests).toHaveLength(0);
    expect(server.books.has('bk_1')).toBe(true);
  });

  test('depthLimit bounds how deep a selection may go', async () => {
    const shallow = await loadGraphQL({
      name: 'library',
      sdl: LIBRARY_SDL,
      url: server.url,
      depthLimit: 2,
      queryDepthLimit: 1,
    });
    await expect(
      call('query_book', { id: 'bk_1', _fields: 'author { books { title } }' }, context, shallow),
    ).resolves.toBeTruthy();
    const error = await failure(
      call('query_book', { id: 'bk_1', _fields: 'author { books { author { name } } }' }, context, shallow),
    );
    expect(error.message).toBe('library.query_book: _fields nests 3 levels deep; at most 2 are allowed');
  });
});

describe('errors', () => {
  test('GraphQL errors are GraphQLCallErrors with messages, paths and the partial data', async () => {
    const error = await failure(
      call('query_books', { first: 2, _fields: 'nodes { id title secretNote(reason: "audit") }' }),
    );
    expect(error).toBeInstanceOf(GraphQLCallError);
    expect(error.code).toBe('GRAPHQL_ERROR');
    expect(error.message).toBe(
      'library.query_books failed: no access to the note of bk_4 (at books.nodes.0.secretNote); and 1 more error',
    );
    expect(error.details).toEqual({
      operation: 'library.query_books',
      errors: [
        {
          message: 'no access to the note of bk_4',
          path: ['books', 'nodes', 0, 'secretNote'],
          locations: [expect.any(Object)],
        },
        {
          message: 'no access to the note of bk_2',
          path: ['books', 'nodes', 1, 'secretNote'],
          locations: [expect.any(Object)],
        },
      ],
      data: {
        nodes: [
          { id: 'bk_4', title: 'The Dispossessed', secretNote: null },
          { id: 'bk_2', title: 'The Left Hand of Darkness', secretNote: null },
        ],
      },
    });
  });

  test('an error without data keeps data null; an error of a mutation is an error too', async () => {
    const broken = await failure(call('query_broken'));
    expect(broken.details).toMatchObject({ data: null, errors: [{ path: ['broken'] }] });
    expect(broken.message).toMatch(/^library\.query_broken failed: the broken field always fails/);
    const mutation = await failure(call('mutation_addReview', { review: { bookId: 'bk_9', rating: 3 } }));
    expect(mutation).toMatchObject({
      code: 'GRAPHQL_ERROR',
      message: 'library.mutation_addReview failed: no book bk_9 (at addReview)',
    });
  });

  test('HTTP failures: a GraphQL error body keeps its status; anything else is an HTTP_ERROR', async () => {
    server.intercept = (_request, response) =>
      send(response, 400, { errors: [{ message: 'Cannot parse the query' }] });
    expect(await failure(call('query_echo', { text: 'x' }))).toMatchObject({
      code: 'GRAPHQL_ERROR',
      status: 400,
      message: 'library.query_echo failed: Cannot parse the query',
      details: { status: 400, data: null },
    });
    server.intercept = (_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>');
      return true;
    };
    expect(await failure(call('query_echo', { text: 'x' }))).toMatchObject({
      code: 'HTTP_ERROR',
      status: 502,
      retryable: true,
      message: 'library.query_echo failed: HTTP 502: <h1>Bad gateway</h1>',
    });
    server.intercept = (_request, response) => send(response, 200, { hello: 'world' });
    expect((await failure(call('query_echo', { text: 'x' }))).message).toBe(
      'library.query_echo failed: the server did not answer with a GraphQL response: {"hello":"world"}',
    );
  });

  test('queries are retried on 503 / 429; mutations are never retried', async () => {
    let failures = 2;
    server.intercept = (_request, response) =>
      failures-- > 0 ? send(response, 503, { errors: [{ message: 'busy' }] }, { 'retry-after': '0' }) : false;
    await expect(call('query_echo', { text: 'again' })).resolves.toBe('again');
    expect(server.requests).toHaveLength(3);
    server.requests.length = 0;
    failures = 1;
    const error = await failure(call('mutation_deleteBook', { id: 'bk_1' }));
    expect(error).toMatchObject({ code: 'GRAPHQL_ERROR', status: 503, retryable: true });
    expect(server.requests).toHaveLength(1);
    expect(server.books.has('bk_1')).toBe(true);
  });

  test('timeouts, unreachable endpoints and a missing endpoint are reported', async () => {
    server.intercept = () => new Promise<boolean>(() => undefined);
    const slow = await loadGraphQL({
      name: 'library',
      sdl: LIBRARY_SDL,
      url: server.url,
      timeout: 100,
      retry: false,
    });
    expect(await failure(call('query_echo', { text: 'x' }, context, slow))).toMatchObject({
      code: 'TIMEOUT',
      message: 'library.query_echo timed out after 100 ms',
    });
    const closed = await new LibraryServer().start();
    const closedUrl = closed.url;
    await closed.stop();
    const nowhere = await loadGraphQL({ name: 'library', sdl: LIBRARY_SDL, url: closedUrl, retry: false });
    expect((await failure(call('query_echo', { text: 'x' }, context, nowhere))).message).toMatch(
      /^library\.query_echo failed: network error \(ECONNREFUSED\)$/,
    );
    const noUrl = await loadGraphQL({ name: 'library', sdl: LIBRARY_SDL });
    expect((await failure(call('query_echo', { text: 'x' }, context, noUrl))).message).toBe(
      'library.query_echo: no GraphQL endpoint is configured; set url in loadGraphQL',
    );
  });

  test('a response over maxResponseBytes is refused', async () => {
    const small = await loadGraphQL({
      name: 'library',
      sdl: LIBRARY_SDL,
      url: server.url,
      maxResponseBytes: 64,
    });
    expect(await failure(call('query_books', {}, context, small))).toMatchObject({
      code: 'RESULT_TOO_LARGE',
    });
  });
});
