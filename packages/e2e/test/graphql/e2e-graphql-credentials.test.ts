import { LIBRARY_SECRET, type LibraryATP, startLibraryATP } from './support/atp-library';

// The GraphQL API's bearer token is used on every call (and for introspection) but must never be
// readable: not by agent code (results, caught errors), not by the client, not in logs.

let h: LibraryATP;
beforeAll(async () => {
  h = await startLibraryATP();
});
afterAll(() => h.close());

describe('credentials of a loaded GraphQL group', () => {
  test('authenticate introspection and calls (the API refuses requests without the token)', async () => {
    const unauthenticated = await fetch(h.library.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ echo(text: "x") }' }),
    });
    expect(unauthenticated.status).toBe(401);
    expect(h.library.requests[0]?.query).toContain('__schema');
    expect(h.library.requests[0]?.headers.authorization).toBe(`Bearer ${LIBRARY_SECRET}`);
    const client = await h.client();
    const result = await client.execute("return await api.library.query_echo({ text: 'authenticated' });");
    expect(result).toMatchObject({ status: 'completed', result: 'authenticated' });
  });

  test('are redacted from a result in which the API echoes them', async () => {
    const client = await h.client();
    const result = await client.execute('return await api.library.query_request();');
    expect(result).toMatchObject({ status: 'completed', result: { authorization: 'Bearer [REDACTED]' } });
  });

  test('are redacted from caught and uncaught errors whose messages echo the request', async () => {
    const client = await h.client();
    const caught = await client.execute(`
      try { await api.library.query_broken(); }
      catch (e) { return { code: e.code, message: e.message, errors: e.errors, details: JSON.stringify(e.details) }; }
    `);
    expect(caught.result).toMatchObject({
      code: 'GRAPHQL_ERROR',
      message:
        'library.query_broken failed: the broken field always fails (request had Bearer [REDACTED]) (at broken)',
      errors: [
        { message: 'the broken field always fails (request had Bearer [REDACTED])', path: ['broken'] },
      ],
    });
    expect((caught.result as { details: string }).details).not.toContain(LIBRARY_SECRET);
    const uncaught = await client.execute('return await api.library.query_broken();');
    expect(uncaught.status).toBe('failed');
    expect(uncaught.error?.message).toContain('Bearer [REDACTED]');
  });

  test('are not in the group the server holds, nor in anything the server answers or logs', async () => {
    const client = await h.client();
    await client.execute('return await api.library.query_request();');
    await client.execute('return await api.library.query_broken();');
    await client.searchQuery('find a book by title');
    const definitions = (await h.request('GET', '/api/definitions')) as { typescript: string };
    expect(definitions.typescript).toContain('query_book');
    await h.request('GET', '/api/info');
    for (const fn of h.group.functions) {
      await h.request('POST', '/api/explore', { path: `/graphql/library/${fn.name}` });
    }

    // Non-vacuous: the traffic and logs were recorded, and the group's calls were logged.
    expect(h.responses.filter((line) => line.includes('/api/explore 200'))).toHaveLength(
      h.group.functions.length,
    );
    expect(h.logs.some((line) => line.includes('"operation":"library.query_request"'))).toBe(true);

    const everything = [JSON.stringify(h.group), ...h.responses, ...h.logs];
    expect(everything.filter((text) => text.includes(LIBRARY_SECRET))).toEqual([]);
  });
});
