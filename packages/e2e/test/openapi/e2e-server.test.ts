import type { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { typecheck } from '@agent-tool-protocol/testing';
import { compileWithDefinitions } from '../../../openapi/test/helpers/schemas';
import { type BookshelfATP, startBookshelfATP } from './support/atp-bookshelf';

// End to end: a spec loaded with loadOpenAPI, served by a real ATP server, driven by the ATP client;
// agent code runs in the sandbox and calls a real HTTP API.

let h: BookshelfATP;
beforeAll(async () => {
  h = await startBookshelfATP();
});
afterAll(() => h.close());

const AGENT_CODE = `
const sf = await api.bookshelf.books.listBooks({ tag: ['sf'], limit: 10 });
const created = await api.bookshelf.books.createBook({
  body: { title: 'Dune Messiah', year: 1969, tags: ['sf'], authorId: 'au_1' },
});
const again = await api.bookshelf.books.getBook({ bookId: created.id });
const author = await api.bookshelf.authors.getAuthor({ authorId: 'au_1' });
return {
  before: sf.map((book) => book.title),
  created: { id: created.id, title: again.title, year: again.year, author: again.author?.name ?? null },
  authorBooks: (author.books ?? []).map((book) => book.title).sort(),
};
`;

describe('agent code calling a loaded OpenAPI group through the ATP server', () => {
  let client: AgentToolProtocolClient;
  beforeAll(async () => {
    client = await h.client();
  });

  test('path, query and body parameters reach the API; results come back to the agent', async () => {
    const calls = h.toolCalls.length;
    const result = await client.execute(AGENT_CODE);
    expect(result.status).toBe('completed');
    const id = (result.result as { created: { id: string } }).created.id;
    expect(result.result).toEqual({
      before: ['Dune', 'Children of Dune'],
      created: { id, title: 'Dune Messiah', year: 1969, author: 'Frank Herbert' },
      authorBooks: ['Children of Dune', 'Dune', 'Dune Messiah'],
    });
    expect(h.bookshelf.books.get(id)).toMatchObject({ title: 'Dune Messiah', authorId: 'au_1' });
    expect(result.stats.toolCallsCount).toBe(4);
    expect(h.toolCalls.slice(calls).map((call) => [call.path, call.input])).toEqual([
      ['api.bookshelf.books.listBooks', { tag: ['sf'], limit: 10 }],
      [
        'api.bookshelf.books.createBook',
        { body: { title: 'Dune Messiah', year: 1969, tags: ['sf'], authorId: 'au_1' } },
      ],
      ['api.bookshelf.books.getBook', { bookId: id }],
      ['api.bookshelf.authors.getAuthor', { authorId: 'au_1' }],
    ]);
  });

  test('results match the declared output schemas, and the agent code type-checks against the served types', async () => {
    const result = await client.execute(`
      return {
        book: await api.bookshelf.books.getBook({ bookId: 'bk_1' }),
        author: await api.bookshelf.authors.getAuthor({ authorId: 'au_1' }),
      };
    `);
    const { book, author } = result.result as { book: unknown; author: unknown };
    const outputOf = (name: string) => h.group.functions.find((fn) => fn.name === name)!.outputSchema!;
    expect(compileWithDefinitions(h.group, outputOf('books.getBook'))(book)).toBe(true);
    expect(compileWithDefinitions(h.group, outputOf('authors.getAuthor'))(author)).toBe(true);

    const declarations = await client.getTypeDefinitions();
    const asFunction = (body: string) => `async function agent() {\n${body}\n}\n`;
    expect(typecheck({ 'api.d.ts': declarations, 'agent.ts': asFunction(AGENT_CODE) })).toEqual([]);
    const misuse = typecheck({
      'api.d.ts': declarations,
      'agent.ts': asFunction(
        "const book = await api.bookshelf.books.getBook({ bookId: 'bk_1' }); const n: number = book.title;",
      ),
    });
    expect(misuse.join('\n')).toContain("Type 'string' is not assignable to type 'number'");
  });

  test('an HTTP error is catchable inside the sandbox with name, status, code and details', async () => {
    const result = await client.execute(`
      try {
        await api.bookshelf.books.getBook({ bookId: 'bk_missing' });
        return 'no error';
      } catch (e) {
        return { name: e.name, message: e.message, code: e.code, status: e.status, details: e.details };
      }
    `);
    expect(result).toMatchObject({
      status: 'completed',
      result: {
        name: 'ToolCallError',
        code: 'HTTP_ERROR',
        status: 404,
        message: 'bookshelf.books.getBook failed: HTTP 404 Not Found: {"message":"no book bk_missing"}',
        details: {
          operation: 'bookshelf.books.getBook',
          method: 'GET',
          status: 404,
          body: '{"message":"no book bk_missing"}',
        },
      },
    });
  });

  test('an uncaught HTTP error fails the execution with the same code and status', async () => {
    const result = await client.execute(
      `return await api.bookshelf.books.getBook({ bookId: 'bk_missing' });`,
    );
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'HTTP_ERROR', status: 404 });
    expect(result.error?.message).toContain('HTTP 404 Not Found');
  });

  test('bad input is rejected before any request, naming the field', async () => {
    const requests = h.logs.length;
    const result = await client.execute(`
      try { await api.bookshelf.books.getBook({ bookId: 'bk_1', titel: 'x' }); }
      catch (e) { return { code: e.code, message: e.message }; }
    `);
    expect(result.result).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'bookshelf.books.getBook: input.titel is not an allowed property (allowed: "bookId")',
    });
    expect(h.logs.slice(requests).join('')).not.toContain('"openapi call"');
  });

  test('several calls run concurrently with Promise.all', async () => {
    const result = await client.execute(`
      const ids = ['bk_1', 'bk_2', 'bk_1', 'bk_2'];
      const books = await Promise.all(ids.map((bookId) => api.bookshelf.books.getBook({ bookId })));
      return books.map((book) => book.title);
    `);
    expect(result.result).toEqual(['Dune', 'Children of Dune', 'Dune', 'Children of Dune']);
  });
});

describe('a destructive DELETE', () => {
  const deleteInput = (bookId: string) => `await api.bookshelf.books.deleteBook({ bookId: '${bookId}' })`;

  test('is described as destructive to the agent and to the security hooks', async () => {
    const client = await h.client();
    const explored = await client.exploreAPI('/openapi/bookshelf/books/deleteBook');
    expect(explored).toMatchObject({ type: 'function', name: 'books.deleteBook', group: 'bookshelf' });
    expect((explored as { definition: string }).definition).toContain('@operation destructive');
    expect(await client.getTypeDefinitions()).toMatch(/@operation destructive\n\s+\*\/\n\s+deleteBook\(/);
    expect(h.group.functions.find((fn) => fn.name === 'books.deleteBook')!.metadata).toMatchObject({
      operationType: 'destructive',
      method: 'DELETE',
      path: '/books/{bookId}',
    });
  });

  test('runs once the client approves it', async () => {
    const id = 'bk_doomed';
    h.bookshelf.books.set(id, { id, title: 'A book to delete', year: null, tags: [] });
    const approvals: string[] = [];
    const client = await h.client((atp) =>
      atp.provideApproval(async (message) => {
        approvals.push(message);
        return { approved: true };
      }),
    );
    const result = await client.execute(`${deleteInput(id)}; return 'deleted';`);
    expect(result).toMatchObject({ status: 'completed', result: 'deleted' });
    expect(approvals).toEqual([`Allow api.bookshelf.books.deleteBook({"bookId":"${id}"})?`]);
    expect(h.bookshelf.books.has(id)).toBe(false);
    const call = h.toolCalls.findLast((context) => context.path === 'api.bookshelf.books.deleteBook')!;
    expect(call.metadata).toMatchObject({ operationType: 'destructive', method: 'DELETE' });
    expect(call.input).toEqual({ bookId: id });
  });

  test('does not run when the client denies it; the agent can catch the denial', async () => {
    const client = await h.client((atp) =>
      atp.provideApproval(async () => ({ approved: false, reason: 'not today' })),
    );
    const result = await client.execute(
      `try { ${deleteInput('bk_1')}; return 'deleted'; } catch (e) { return { code: e.code, message: e.message }; }`,
    );
    expect(result.result).toMatchObject({ code: 'APPROVAL_DENIED' });
    expect((result.result as { message: string }).message).toContain('not today');
    expect(h.bookshelf.books.has('bk_1')).toBe(true);
  });

  test('fails closed when nobody can approve', async () => {
    const client = await h.client();
    const result = await client.execute(`${deleteInput('bk_1')}; return 'deleted';`);
    expect(result.status).toBe('security_violation');
    expect(result.error?.message).toContain('neither the client nor the server can approve');
    expect(h.bookshelf.books.has('bk_1')).toBe(true);
  });
});
