import type { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { typecheck } from '@agent-tool-protocol/testing';
import { type LibraryATP, startLibraryATP } from './support/atp-library';

// End to end: a GraphQL API introspected by loadGraphQL, served by a real ATP server, driven by the ATP
// client; agent code runs in the sandbox and calls the GraphQL server over HTTP.

let h: LibraryATP;
beforeAll(async () => {
  h = await startLibraryATP();
});
afterAll(() => h.close());
beforeEach(() => h.library.reset());

const AGENT_CODE = `
const page = await api.library.query_books({ first: 10, filter: { genre: 'SCIENCE_FICTION' } });
const byAuthor = new Map<string, string[]>();
for (const book of page.nodes ?? []) {
  const name = book.author?.name ?? 'unknown';
  byAuthor.set(name, [...(byAuthor.get(name) ?? []), book.title ?? '']);
}
const dune = await api.library.query_book({ id: 'bk_3', _fields: 'title, reviews { rating reviewer }' });
const found = await api.library.query_search({ text: 'earthsea' });
return {
  total: page.totalCount,
  hasNextPage: page.pageInfo?.hasNextPage,
  byAuthor: Object.fromEntries(byAuthor),
  dune,
  found: found.map((item) => item.__typename + ':' + (item.__typename === 'Book' ? item.title : item.name)),
};
`;

describe('agent code calling a GraphQL API through the ATP server', () => {
  let client: AgentToolProtocolClient;
  beforeAll(async () => {
    client = await h.client();
  });

  test('queries with variables and chosen fields; results come back to the agent', async () => {
    const calls = h.toolCalls.length;
    const result = await client.execute(AGENT_CODE);
    expect(result).toMatchObject({
      status: 'completed',
      result: {
        total: 3,
        hasNextPage: false,
        byAuthor: {
          'Ursula K. Le Guin': ['The Dispossessed', 'The Left Hand of Darkness'],
          'Frank Herbert': ['Dune'],
        },
        dune: {
          title: 'Dune',
          reviews: [
            { rating: 5, reviewer: 'ada' },
            { rating: 4, reviewer: 'grace' },
          ],
        },
        found: ['Book:A Wizard of Earthsea'],
      },
    });
    expect(result.stats.toolCallsCount).toBe(3);
    expect(h.toolCalls.slice(calls).map((call) => [call.path, call.metadata.operationType])).toEqual([
      ['api.library.query_books', 'read'],
      ['api.library.query_book', 'read'],
      ['api.library.query_search', 'read'],
    ]);
    const sent = h.library.requests.slice(-3);
    expect(sent[0]!.variables).toEqual({ first: 10, filter: { genre: 'SCIENCE_FICTION' } });
    expect(sent[1]!.query).toContain(
      'book(id: $id) {\n    title\n    reviews {\n      rating\n      reviewer\n    }',
    );
  });

  test('the agent code type-checks against the served declarations; misuse does not', async () => {
    const declarations = await client.getTypeDefinitions();
    const asFunction = (body: string) => `async function agent() {\n${body}\n}\n`;
    expect(typecheck({ 'api.d.ts': declarations, 'agent.ts': asFunction(AGENT_CODE) })).toEqual([]);
    const misuse = typecheck({
      'api.d.ts': declarations,
      'agent.ts': asFunction(
        "await api.library.query_books({ filter: { genre: 'POETRY' } });\nawait api.library.mutation_addBook({ input: { title: 'x' } });",
      ),
    });
    expect(misuse.join('\n')).toContain('Type \'"POETRY"\' is not assignable to type');
    expect(misuse.join('\n')).toMatch(
      /missing the following properties from type 'LibraryNewBook': genre, authorId/,
    );
  });

  test('an argument that looks like GraphQL reaches the server as a literal variable', async () => {
    const attack = '") { __typename } mutation { deleteBook(id: "bk_1") } #';
    const result = await client.execute(
      `return await api.library.query_echo({ text: ${JSON.stringify(attack)} });`,
    );
    expect(result).toMatchObject({ status: 'completed', result: attack });
    expect(h.library.last.variables).toEqual({ text: attack });
    expect(h.library.last.query).toBe('query library_query_echo($text: String!) {\n  echo(text: $text)\n}');
    expect(h.library.books.has('bk_1')).toBe(true);
  });

  test('GraphQL errors are catchable in the sandbox with their name, code, message, errors and partial data', async () => {
    const result = await client.execute(`
      try {
        await api.library.query_book({ id: 'bk_3', _fields: 'title secretNote(reason: "curious")' });
        return 'no error';
      } catch (e) {
        return {
          name: e.name,
          code: e.code,
          message: e.message,
          isError: e instanceof Error,
          errors: e.errors,
          data: e.data,
          operation: e.details.operation,
          sameAsDetails: e.errors === e.details.errors && e.data === e.details.data,
        };
      }
    `);
    expect(result).toMatchObject({
      status: 'completed',
      result: {
        name: 'GraphQLCallError',
        code: 'GRAPHQL_ERROR',
        message: 'library.query_book failed: no access to the note of bk_3 (at book.secretNote)',
        isError: true,
        errors: [{ message: 'no access to the note of bk_3', path: ['book', 'secretNote'] }],
        data: { title: 'Dune', secretNote: null },
        operation: 'library.query_book',
        sameAsDetails: true,
      },
    });
    const uncaught = await client.execute('return await api.library.query_broken();');
    expect(uncaught.status).toBe('failed');
    expect(uncaught.error).toMatchObject({ code: 'GRAPHQL_ERROR' });
    expect(uncaught.error?.message).toContain('library.query_broken failed: the broken field always fails');
  });

  test('a bad selection is refused before any request, naming the field', async () => {
    const requests = h.library.requests.length;
    const result = await client.execute(`
      try { await api.library.query_book({ id: 'bk_1', _fields: 'title, auther { name }' }); }
      catch (e) { return { code: e.code, message: e.message }; }
    `);
    expect(result.result).toEqual({
      code: 'VALIDATION_ERROR',
      message:
        'library.query_book: invalid _fields "title, auther { name }": Cannot query field "auther" on type "Book". Did you mean "author"?',
    });
    expect(h.library.requests.length).toBe(requests);
  });

  test('explore and search show the GraphQL functions under /graphql', async () => {
    const root = await client.exploreAPI('/');
    expect(root).toMatchObject({
      type: 'directory',
      items: expect.arrayContaining([{ name: 'graphql', type: 'directory' }]),
    });
    const explored = await client.exploreAPI('/graphql/library/mutation_addBook');
    expect(explored).toMatchObject({ type: 'function', name: 'mutation_addBook', group: 'library' });
    expect((explored as { definition: string }).definition).toContain('@operation write');
    const results = await client.searchQuery('add a review to a book');
    expect(results.map((r) => `${r.apiGroup}.${r.functionName}`)).toContain('library.mutation_addReview');
  });
});

describe('mutations are writes: approvals and plans apply', () => {
  const ADD =
    "return await api.library.mutation_addBook({ input: { title: 'Always Coming Home', genre: 'FANTASY', authorId: 'au_1' }, _fields: 'id title' });";

  test('a mutation runs once the client approves it', async () => {
    const approvals: string[] = [];
    const client = await h.client((atp) =>
      atp.provideApproval(async (message) => {
        approvals.push(message);
        return { approved: true };
      }),
    );
    const result = await client.execute(ADD);
    expect(result).toMatchObject({ status: 'completed', result: { title: 'Always Coming Home' } });
    expect(approvals).toHaveLength(1);
    expect(approvals[0]).toContain('api.library.mutation_addBook');
    const id = (result.result as { id: string }).id;
    expect(h.library.books.get(id)).toMatchObject({ title: 'Always Coming Home', genre: 'FANTASY' });
    expect(h.toolCalls.at(-1)?.metadata).toMatchObject({
      operationType: 'write',
      graphqlOperation: 'mutation',
    });
  });

  test('a denied mutation is not sent; without anyone to approve it fails closed', async () => {
    const denying = await h.client((atp) =>
      atp.provideApproval(async () => ({ approved: false, reason: 'no new books' })),
    );
    const before = h.library.books.size;
    const denied = await denying.execute(
      `try { ${ADD} } catch (e) { return { code: e.code, message: e.message }; }`,
    );
    expect(denied.result).toMatchObject({ code: 'APPROVAL_DENIED' });
    expect((denied.result as { message: string }).message).toContain('no new books');
    const nobody = await (await h.client()).execute(ADD);
    expect(nobody.status).toBe('security_violation');
    expect(h.library.books.size).toBe(before);
  });

  test('a plan records the mutation as an effect, runs the queries, and executes once approved', async () => {
    const client = await h.client();
    const code = `
      const page = await api.library.query_books({ filter: { genre: 'FANTASY' }, _fields: 'nodes { id title }' });
      for (const book of page.nodes ?? []) {
        await api.library.mutation_addReview({ review: { bookId: book.id, rating: 5, text: 'planned' } });
      }
      return (page.nodes ?? []).length;
    `;
    const plan = await client.plan(code);
    expect(plan).toMatchObject({ status: 'completed', result: 1 });
    expect(plan.effects).toEqual([
      expect.objectContaining({
        path: 'api.library.mutation_addReview',
        input: { review: { bookId: 'bk_1', rating: 5, text: 'planned' } },
        operationType: 'write',
      }),
    ]);
    expect(h.library.reviews.filter((review) => review.text === 'planned')).toHaveLength(0);
    const run = await client.execute(code, { approvedPlan: plan.planId });
    expect(run).toMatchObject({ status: 'completed', result: 1 });
    expect(h.library.reviews.filter((review) => review.text === 'planned')).toEqual([
      { bookId: 'bk_1', rating: 5, text: 'planned', reviewer: 'agent' },
    ]);
  });
});
