import type { LogEntry, ProgressEvent } from '@agent-tool-protocol/protocol';
import { createServer } from '@agent-tool-protocol/server';
import { listening, type Started } from './support/harness';

// README › Runtime APIs Available to Agents: each line of agent code runs through `execute` on a real server.
// The client provides the LLM (a fake: no internet), an approver and an embedding model, as the README
// requires. Usage ids match the table in README.md beside this file.

const db = { created: [] as unknown[] };
let started: Started;
beforeAll(async () => {
  const server = createServer();
  server.addAPIGroup({
    name: 'database',
    type: 'custom',
    description: 'Database operations',
    functions: [
      {
        name: 'createUser',
        description: 'Create a new user',
        inputSchema: {
          type: 'object',
          properties: { name: { type: 'string' }, email: { type: 'string' } },
          required: ['name', 'email'],
        },
        handler: async (input: unknown) => {
          db.created.push(input);
          return { id: db.created.length, ...(input as object) };
        },
      },
    ],
  });
  started = await listening(server);
});
afterAll(() => started.close());

async function run(code: string) {
  const approvals: Array<{ message: string; context: unknown }> = [];
  const client = await started.client((c) =>
    c.provideApproval(async (message, context) => {
      approvals.push({ message, context });
      return { approved: true };
    }),
  );
  const logs: LogEntry[] = [];
  const progress: ProgressEvent[] = [];
  const result = await client.executeStream(code, {
    onLog: (entry) => logs.push(entry),
    onProgress: (event) => progress.push(event),
  });
  return { result, logs: result.logs ?? logs, progress, approvals };
}

describe('atp.llm.*', () => {
  test("R52 atp.llm.call({ prompt: 'Hello' })", async () => {
    const { result } = await run("return await atp.llm.call({ prompt: 'Hello' });");
    expect(result).toMatchObject({ status: 'completed', result: 'echo: Hello' });
  });

  test("R53 atp.llm.extract({ prompt: 'Extract', schema: { name: 'string' } })", async () => {
    const { result } = await run(
      "return await atp.llm.extract({ prompt: 'Extract', schema: { name: 'string' } });",
    );
    expect(result).toMatchObject({ status: 'completed', result: { name: 'name: Extract' } });
  });

  test("R54 atp.llm.classify({ text: 'Text', categories: ['A', 'B'] })", async () => {
    const { result } = await run("return await atp.llm.classify({ text: 'Text', categories: ['A', 'B'] });");
    expect(result).toMatchObject({ status: 'completed', result: 'A' });
  });
});

test("R55 atp.approval.request('Delete files?', { critical: true }) → result.approved", async () => {
  const { result, approvals } = await run(`
    const result = await atp.approval.request('Delete files?', { critical: true });
    if (result.approved) {
      return 'proceeded';
    }
    return 'stopped';`);
  expect(result).toMatchObject({ status: 'completed', result: 'proceeded' });
  expect(approvals).toEqual([{ message: 'Delete files?', context: { critical: true } }]);
});

describe('atp.embedding.*', () => {
  test("R56 atp.embedding.embed('Store this text') returns an id", async () => {
    const { result } = await run("return await atp.embedding.embed('Store this text');");
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('completed');
    expect(typeof result.result).toBe('string');
  });

  test("R57 atp.embedding.search('query', { topK: 5 }) returns ranked matches of what was embedded", async () => {
    const { result } = await run(`
      const id = await atp.embedding.embed('Store this text');
      await atp.embedding.embed('A completely different sentence about zebras');
      const results = await atp.embedding.search('query', { topK: 5 });
      return { id, results };`);
    expect(result.error).toBeUndefined();
    const { id, results } = result.result as { id: string; results: Array<Record<string, unknown>> };
    expect(Array.isArray(results)).toBe(true);
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(5);
    expect(JSON.stringify(results)).toContain(id);
  });
});

describe('atp.log.*', () => {
  test("R58 atp.log.info('Processing user request')", async () => {
    const { result, logs } = await run("atp.log.info('Processing user request'); return true;");
    expect(result.status).toBe('completed');
    expect(logs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 'info', message: 'Processing user request' }),
      ]),
    );
  });

  test("R59 atp.log.error('Failed to connect', { error }) keeps the Error's message and stack", async () => {
    const { result, logs } = await run(`
      try { throw new Error('connect ECONNREFUSED 10.0.0.1:5432'); }
      catch (error) { atp.log.error('Failed to connect', { error }); }
      return true;`);
    expect(result.status).toBe('completed');
    const entry = logs.find((log) => log.message === 'Failed to connect');
    expect(entry?.level).toBe('error');
    const text = JSON.stringify(entry?.data);
    expect(text).toContain('connect ECONNREFUSED 10.0.0.1:5432');
    expect(text).toMatch(/at .*\d+/); // a stack frame
  });

  test("R60 atp.log.debug('Debug info', { data })", async () => {
    const { result, logs } = await run(
      "const data = { step: 3 }; atp.log.debug('Debug info', { data }); return true;",
    );
    expect(result.status).toBe('completed');
    expect(logs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 'debug', message: 'Debug info', data: { data: { step: 3 } } }),
      ]),
    );
  });
});

test("R61 atp.progress.report({ current: 5, total: 10, message: 'Processing...' })", async () => {
  const { result, progress } = await run(
    "atp.progress.report({ current: 5, total: 10, message: 'Processing...' }); return true;",
  );
  expect(result.error).toBeUndefined();
  expect(progress).toEqual([expect.objectContaining({ message: 'Processing...', fraction: 0.5 })]);
});

test("R62 atp.cache.set('key', value, 3600); atp.cache.get('key')", async () => {
  const { result } = await run(`
    const value = { answer: 42 };
    await atp.cache.set('key', value, 3600);
    const cached = await atp.cache.get('key');
    return cached;`);
  expect(result).toMatchObject({ status: 'completed', result: { answer: 42 } });
});

describe('atp.api.*', () => {
  test("R63 atp.api.database.createUser({ name: 'Alice', email }) reaches the handler", async () => {
    const { result } = await run(
      "return await atp.api.database.createUser({ name: 'Alice', email: 'alice@example.com' });",
    );
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({
      status: 'completed',
      result: { name: 'Alice', email: 'alice@example.com' },
    });
  });

  test("R64 atp.api.database.createUser({ name: 'Alice' }) is checked against the README's inputSchema (email is required)", async () => {
    const before = db.created.length;
    const { result } = await run("return await atp.api.database.createUser({ name: 'Alice' });");
    expect(result.status).toBe('failed');
    expect(result.error?.message).toMatch(/email/);
    expect(db.created.length).toBe(before);
  });
});
