import { join } from 'node:path';
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import type { APIGroup, FunctionCallContext, ToolCallError } from '@agent-tool-protocol/protocol';
import { BookshelfServer } from './helpers/bookshelf-server';
import { compileWithDefinitions } from './helpers/schemas';

// The flow an agent snippet runs against examples/openapi: generated functions against a real server.
const context: FunctionCallContext = { clientId: 'c', executionId: 'e' };
const server = new BookshelfServer();
let group: APIGroup;

beforeAll(async () => {
  await server.start();
  process.env.ATP_TEST_BOOKSHELF_TOKEN = 'demo-token';
  group = await loadOpenAPI({
    name: 'bookshelf',
    path: join(__dirname, 'fixtures', 'bookshelf.yaml'),
    baseUrl: server.url,
    auth: { scheme: 'bearer', envVar: 'ATP_TEST_BOOKSHELF_TOKEN' },
  });
});
afterAll(async () => {
  delete process.env.ATP_TEST_BOOKSHELF_TOKEN;
  await server.stop();
});

/** `api.bookshelf.*` the way the runtime dispatches it: by dotted name. */
const api = (name: string, input?: unknown) =>
  Promise.resolve(group.functions.find((f) => f.name === name)!.handler(input, context));

test('create, list, read, delete — results match the declared output schemas', async () => {
  const created = (await api('books.createBook', {
    body: { title: 'Dune Messiah', year: 1969, tags: ['sf'], authorId: 'au_1' },
  })) as {
    id: string;
  };
  expect(created).toMatchObject({ title: 'Dune Messiah', year: 1969, author: { name: 'Frank Herbert' } });

  const listed = (await api('books.listBooks', { tag: ['sf'], limit: 10 })) as { title: string }[];
  expect(listed.map((b) => b.title)).toEqual(['Dune', 'Children of Dune', 'Dune Messiah']);
  const validateList = compileWithDefinitions(
    group,
    group.functions.find((f) => f.name === 'books.listBooks')!.outputSchema!,
  );
  expect(validateList(listed)).toBe(true);

  const author = await api('authors.getAuthor', { authorId: 'au_1' });
  const validateAuthor = compileWithDefinitions(
    group,
    group.functions.find((f) => f.name === 'authors.getAuthor')!.outputSchema!,
  );
  expect(validateAuthor(author)).toBe(true);

  expect(await api('books.deleteBook', { bookId: created.id })).toBeNull();
  const error = (await api('books.getBook', { bookId: created.id }).catch(
    (e: unknown) => e,
  )) as ToolCallError;
  expect(error.code).toBe('HTTP_ERROR');
  expect(error.status).toBe(404);
  expect(error.message).toBe(
    `bookshelf.books.getBook failed: HTTP 404 Not Found: {"message":"no book ${created.id}"}`,
  );
});

test('operations with `security: []` get no configured auth; configured secrets stay redacted', async () => {
  expect(await api('auth.login', { body: { username: 'ada', password: 'secret' } })).toEqual({
    token: '[REDACTED]', // the server answers with the configured token: redacted even though it was not sent
    expiresIn: 3600,
  });
  expect(await api('getHealth')).toBe('ok');
});
