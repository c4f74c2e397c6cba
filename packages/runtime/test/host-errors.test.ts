import { ATPError, ToolCallError, ValidationError } from '@agent-tool-protocol/protocol';
import { MAX_ERROR_DETAILS_CHARS } from '../src/execution/error-details';
import { CLIENT, executors, group } from './helpers';

// A host error reaches agent code with its name, code, message, status and details (plain JSON,
// redacted, size-capped), so `catch (e) { e.name, e.code, e.details }` works.

const make = executors();

const CATCH = (call: string) => `
  try { await ${call}; return 'no error'; }
  catch (e) {
    return {
      name: e.name, code: e.code, message: e.message, status: e.status, isError: e instanceof Error,
      header: String(e.stack).split('\\n')[0], details: e.details, issues: e.issues, errors: e.errors,
      data: e.data, truncated: e.detailsTruncated === true,
    };
  }`;

describe('host errors in agent code', () => {
  it('a ValidationError keeps its name, code, issues and details; uncaught, its message is unchanged', async () => {
    const issues = [
      { path: 'input.email', message: 'must be an email address; got "alice"' },
      { path: 'input.age', message: 'must be >= 0; got -3' },
    ];
    const executor = make([
      group('crm', {
        create: () => {
          throw new ValidationError('crm.create: 2 problems with the input', issues);
        },
      }),
    ]);
    const result = await executor.execute(CATCH('api.crm.create({})'), CLIENT);
    expect(result.result).toEqual({
      name: 'ValidationError',
      code: 'VALIDATION_ERROR',
      message: 'crm.create: 2 problems with the input',
      isError: true,
      header: 'ValidationError: crm.create: 2 problems with the input',
      details: { issues },
      issues,
      truncated: false,
    });
    const uncaught = await executor.execute('await api.crm.create({});', CLIENT);
    expect(uncaught.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: 'crm.create: 2 problems with the input',
      details: { issues },
    });
  });

  it("an uncaught error's details reach the result shortened and redacted; unusable details are left out", async () => {
    const huge = { rows: Array.from({ length: 5_000 }, (_, i) => ({ i, text: 'x'.repeat(50) })) };
    const executor = make([
      group('odd', {
        huge: () => {
          throw new ATPError('ODD', 'huge', { details: huge });
        },
      }),
    ]);
    const shortened = await executor.execute('await api.odd.huge();', CLIENT);
    const rows = (shortened.error!.details as { rows: unknown[] }).rows;
    expect(rows[0]).toEqual(huge.rows[0]);
    expect(rows.length).toBeLessThan(huge.rows.length);
    expect(shortened.error).toMatchObject({ detailsTruncated: true });

    const own = await executor.execute(
      "throw Object.assign(new Error('refused'), { code: 'REFUSED', details: { reason: 'quota', apiKey: 'k-1' } });",
      CLIENT,
    );
    expect(own.error).toMatchObject({ code: 'REFUSED', details: { reason: 'quota', apiKey: '[REDACTED]' } });

    const cyclic = await executor.execute(
      "const d = { a: 1 }; d.self = d; throw Object.assign(new Error('cyclic'), { details: d });",
      CLIENT,
    );
    expect(cyclic.error).toMatchObject({ message: 'cyclic' });
    expect(cyclic.error).not.toHaveProperty('details');

    const tooBig = await executor.execute(
      "throw Object.assign(new Error('big'), { details: { text: 'y'.repeat(200000) } });",
      CLIENT,
    );
    expect(tooBig.error).toMatchObject({ message: 'big' });
    expect(tooBig.error).not.toHaveProperty('details');
  });

  it('errors and partial data of a tool error cross as details and as shortcuts', async () => {
    const details = {
      operation: 'library.query_books',
      errors: [{ message: 'no access', path: ['books', 'nodes', 0, 'note'] }],
      data: { nodes: [{ id: 'bk_4', note: null }] },
      status: 400,
    };
    const executor = make([
      group('library', {
        books: () => {
          throw Object.assign(
            new ToolCallError('library.query_books failed: no access', {
              code: 'GRAPHQL_ERROR',
              status: 400,
              details,
            }),
            { name: 'GraphQLCallError' },
          );
        },
      }),
    ]);
    const result = await executor.execute(CATCH('api.library.books()'), CLIENT);
    expect(result.result).toEqual({
      name: 'GraphQLCallError',
      code: 'GRAPHQL_ERROR',
      message: 'library.query_books failed: no access',
      status: 400,
      isError: true,
      header: 'GraphQLCallError: library.query_books failed: no access',
      details,
      errors: details.errors,
      data: details.data,
      truncated: false,
    });
  });

  it('values under secret-looking keys in details are redacted; other data crosses unchanged', async () => {
    const executor = make([
      group('api', {
        leak: () => {
          throw new ATPError('UPSTREAM', 'upstream refused the call', {
            details: {
              request: {
                headers: { authorization: 'Bearer abc.def-123', 'x-api-key': 'k-123', accept: '*/*' },
              },
              apiToken: 'tok-123',
              client_secret: 's-123',
              books: [{ title: 'Basic Economics', sessionId: 'sess-123' }],
            },
          });
        },
      }),
    ]);
    const result = await executor.execute(CATCH('api.api.leak()'), CLIENT);
    expect((result.result as { details: unknown }).details).toEqual({
      request: { headers: { authorization: '[REDACTED]', 'x-api-key': '[REDACTED]', accept: '*/*' } },
      apiToken: '[REDACTED]',
      client_secret: '[REDACTED]',
      books: [{ title: 'Basic Economics', sessionId: '[REDACTED]' }],
    });
    expect(JSON.stringify(result)).not.toMatch(/abc\.def-123|k-123|tok-123|s-123|sess-123/);
  });

  it('details are plain JSON and capped in size; a cut is flagged', async () => {
    const cyclic: Record<string, unknown> = { n: 1n, fn: () => 1, when: new Date(0) };
    cyclic.self = cyclic;
    const huge = { rows: Array.from({ length: 5_000 }, (_, i) => ({ i, text: 'x'.repeat(50) })) };
    const executor = make([
      group('odd', {
        cyclic: () => {
          throw new ATPError('ODD', 'cyclic', { details: cyclic });
        },
        huge: () => {
          throw new ATPError('ODD', 'huge', { details: huge });
        },
        plain: () => {
          throw new Error('plain');
        },
      }),
    ]);
    const cyclicSeen = (await executor.execute(CATCH('api.odd.cyclic()'), CLIENT)).result;
    expect(cyclicSeen).toMatchObject({
      name: 'ATPError',
      details: { n: '1', when: '1970-01-01T00:00:00.000Z', self: '[Circular]' },
      truncated: false,
    });
    const hugeSeen = (await executor.execute(CATCH('api.odd.huge()'), CLIENT)).result as {
      details: { rows: unknown[] };
      truncated: boolean;
    };
    expect(hugeSeen.truncated).toBe(true);
    expect(hugeSeen.details.rows.length).toBeGreaterThan(0);
    expect(hugeSeen.details.rows.length).toBeLessThan(huge.rows.length);
    expect(hugeSeen.details.rows[0]).toEqual(huge.rows[0]);
    expect(JSON.stringify(hugeSeen.details).length).toBeLessThanOrEqual(MAX_ERROR_DETAILS_CHARS);
    const plainSeen = (await executor.execute(CATCH('api.odd.plain()'), CLIENT)).result;
    expect(plainSeen).toMatchObject({
      name: 'Error',
      code: 'TOOL_ERROR',
      message: 'plain',
      header: 'Error: plain',
    });
    expect(plainSeen).not.toHaveProperty('details');
  });
});
