import type { APIGroup } from '@agent-tool-protocol/protocol';
import { BOOKSHELF_SECRET, type BookshelfATP, startBookshelfATP } from './support/atp-bookshelf';

// The API's bearer token is used on every call but must never be readable: not by agent code (results,
// caught errors), not by the client (execution responses, /api/definitions, search, explore), not in logs.

let h: BookshelfATP;
beforeAll(async () => {
  h = await startBookshelfATP();
  // A spec looser than its API: without `maximum: 100` on listBooks' `limit`, `limit: 500` passes input
  // validation and reaches the API, which answers 400 echoing the request headers (token included).
  h.server.engine.catalog.replaceGroup(withoutLimitMaximum(h.group));
});

function withoutLimitMaximum(group: APIGroup): APIGroup {
  return {
    ...group,
    functions: group.functions.map((fn) => {
      if (fn.name !== 'books.listBooks') return fn;
      const schema = structuredClone(fn.inputSchema!) as { properties: { limit: Record<string, unknown> } };
      delete schema.properties.limit.maximum;
      return { ...fn, inputSchema: schema };
    }),
  };
}
afterAll(() => h.close());

describe('credentials of a loaded OpenAPI group', () => {
  test('authenticate the calls (the API refuses requests without the token)', async () => {
    const unauthenticated = await fetch(`${h.bookshelf.url}/books`);
    expect(unauthenticated.status).toBe(401);
    const client = await h.client();
    const result = await client.execute('return (await api.bookshelf.books.listBooks({})).length');
    expect(result).toMatchObject({ status: 'completed', result: h.bookshelf.books.size });
  });

  test('are redacted from a result in which the API echoes them', async () => {
    const client = await h.client();
    const result = await client.execute(
      "return await api.bookshelf.auth.login({ body: { username: 'ada', password: 'secret' } });",
    );
    expect(result).toMatchObject({ status: 'completed', result: { token: '[REDACTED]', expiresIn: 3600 } });
  });

  test('are redacted from caught and uncaught errors whose body echoes the request headers', async () => {
    const raw = await fetch(`${h.bookshelf.url}/books?limit=500`, {
      headers: { authorization: `Bearer ${BOOKSHELF_SECRET}` },
    });
    expect(await raw.text()).toContain(BOOKSHELF_SECRET); // what the API really answers
    const client = await h.client();
    const caught = await client.execute(`
      try { await api.bookshelf.books.listBooks({ limit: 500 }); }
      catch (e) { return { code: e.code, status: e.status, message: e.message }; }
    `);
    expect(caught.result).toMatchObject({ code: 'HTTP_ERROR', status: 400 });
    const message = (caught.result as { message: string }).message;
    expect(message).toContain('limit must be at most 100');
    expect(message).toContain('"authorization":"Bearer [REDACTED]"');

    const uncaught = await client.execute('return await api.bookshelf.books.listBooks({ limit: 500 });');
    expect(uncaught.status).toBe('failed');
    expect(uncaught.error).toMatchObject({ code: 'HTTP_ERROR', status: 400 });
    expect(uncaught.error?.message).toContain('Bearer [REDACTED]');
  });

  test('are not in the group the server holds, nor in anything the server answers or logs', async () => {
    const client = await h.client();
    await client.execute(
      "return await api.bookshelf.auth.login({ body: { username: 'ada', password: 'secret' } });",
    );
    await client.execute('return await api.bookshelf.books.listBooks({ limit: 500 });');
    await client.execute("return await api.bookshelf.books.getBook({ bookId: 'bk_missing' });");
    await client.searchQuery('list books by tag');
    const definitions = (await h.request('GET', '/api/definitions')) as { typescript: string };
    expect(definitions.typescript).toContain('bookshelf');
    await h.request('GET', '/api/definitions?apiGroups=bookshelf');
    await h.request('GET', '/api/info');
    for (const fn of h.group.functions) {
      await h.request('POST', '/api/explore', { path: `/openapi/bookshelf/${fn.name.replaceAll('.', '/')}` });
    }

    // Non-vacuous: the traffic and logs were recorded, and the group's calls were logged.
    expect(h.responses.some((line) => line.includes('/api/definitions 200'))).toBe(true);
    expect(h.responses.filter((line) => line.includes('/api/explore 200'))).toHaveLength(
      h.group.functions.length,
    );
    expect(h.logs.some((line) => line.includes('"operation":"bookshelf.books.listBooks"'))).toBe(true);

    const everything = [JSON.stringify(h.group), ...h.responses, ...h.logs];
    const leaks = everything.filter((text) => text.includes(BOOKSHELF_SECRET));
    expect(leaks).toEqual([]);
    expect(everything.join('\n')).not.toContain(Buffer.from(BOOKSHELF_SECRET).toString('base64'));
  });
});
