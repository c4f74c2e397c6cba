import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { createServer, type ServerConfigInput, TYPECHECK_FAILED } from '@agent-tool-protocol/server';
import { recordsApi } from './support/records-api';

async function start(config: ServerConfigInput = {}) {
  const api = recordsApi(5);
  const server = createServer({
    auth: { jwtSecret: 'typecheck-test-secret-long-enough' },
    ...config,
    execution: { isolatePoolSize: 1, ...config.execution },
  });
  server.addAPIGroup(api.group);
  await server.listen(0);
  const client = async (setup?: (client: AgentToolProtocolClient) => void) => {
    const created = new AgentToolProtocolClient({ baseUrl: server.url! });
    setup?.(created);
    await created.init();
    return created;
  };
  return { server, api, client, close: () => server.shutdown(1000) };
}

const WRONG = `const rows = await api.records.lst({ tier: 'free' });
for (const row of rows) {
  await api.records.update({ id: row.id, tier: 'gold' });
}
return rows.length;`;

describe("execution.typecheck: 'enforce'", () => {
  let h: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    h = await start({ execution: { typecheck: 'enforce' } });
  });
  afterAll(() => h.close());

  it('refuses code that does not type-check before any call, with one line per problem', async () => {
    const client = await h.client();
    const result = await client.execute(WRONG);
    expect(result.status).toBe('validation_failed');
    expect(result.error?.code).toBe(TYPECHECK_FAILED);
    expect(result.error?.message).toBe(
      [
        'The code does not type-check against the API (2 problems):',
        "line 1: Property 'lst' does not exist on api.records. Did you mean 'list'?",
        'line 3: Type \'"gold"\' is not assignable to type \'"free" | "pro"\'.',
      ].join('\n'),
    );
    expect(result.error).toMatchObject({ line: 1 });
    expect((result as { diagnostics?: unknown }).diagnostics).toEqual([
      expect.objectContaining({ line: 1, code: 'TS2551' }),
      expect.objectContaining({ line: 3, code: 'TS2322' }),
    ]);
    expect(h.api.calls.list + h.api.calls.update).toBe(0);
  });

  it('runs correct code, declaring atp.* for the client services and its own tools', async () => {
    const client = await h.client((c) =>
      c.provideLLM({ call: async () => 'pro' }).provideTools([
        {
          name: 'notify',
          inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
          handler: async () => 'sent',
        },
      ]),
    );
    const result = await client.execute(`
      const rows = await api.records.list({ tier: 'free' });
      const tier = (await atp.llm.call('which tier?')) === 'pro' ? 'pro' : 'free';
      const sent = await api.client.notify({ text: rows.length + ' rows, tier ' + tier });
      return { count: rows.length, sent };
    `);
    expect(result.status).toBe('completed');
    expect(result.result).toEqual({ count: 5, sent: 'sent' });
    expect((result as { diagnostics?: unknown }).diagnostics).toBeUndefined();
  });

  it('leaves syntax errors to the runtime and lets a request turn the check off', async () => {
    const client = await h.client();
    const syntax = await client.execute('const = 1;');
    expect(syntax.status).toBe('failed');
    expect(syntax.error?.code).toBe('PARSE_ERROR');
    const unchecked = await client.execute(
      'try { await api.records.lst(); } catch (e) { return e.message; }',
      {
        typecheck: 'off',
      },
    );
    expect(unchecked.status).toBe('completed');
    expect(unchecked.result).toMatch(/api\.records\.lst is not a function/);
  });

  it('checks plans too', async () => {
    const client = await h.client();
    const plan = await client.plan(WRONG);
    expect(plan.status).toBe('validation_failed');
    expect(plan.effects).toEqual([]);
    expect(await client.getPlan(plan.planId)).toMatchObject({
      status: 'ready',
      executionStatus: 'validation_failed',
    });
  });
});

describe("execution.typecheck: 'warn' and the default 'off'", () => {
  it('warn runs the code and returns the diagnostics', async () => {
    const h = await start({ execution: { typecheck: 'warn' } });
    try {
      const client = await h.client();
      const result = await client.execute(
        'const rows = await api.records.list();\nreturn rows.map((r) => r.nam ?? r.name);',
      );
      expect(result.status).toBe('completed');
      expect(result.result).toHaveLength(5);
      expect((result as { diagnostics?: unknown }).diagnostics).toEqual([
        {
          line: 2,
          column: expect.any(Number),
          code: 'TS2551',
          message: "Property 'nam' does not exist on r. Did you mean 'name'?",
        },
      ]);
    } finally {
      await h.close();
    }
  });

  it('off by default; a request can ask for enforce', async () => {
    const h = await start();
    try {
      const client = await h.client();
      const code = 'return await api.records.lst();';
      const plain = await client.execute(code);
      expect(plain.status).toBe('failed');
      expect((plain as { diagnostics?: unknown }).diagnostics).toBeUndefined();
      const enforced = await client.execute(code, { typecheck: 'enforce' });
      expect(enforced.status).toBe('validation_failed');
      await expect(client.execute(code, { typecheck: 'strict' as never })).rejects.toMatchObject({
        status: 400,
        message: expect.stringContaining('config.typecheck'),
      });
    } finally {
      await h.close();
    }
  });
});
