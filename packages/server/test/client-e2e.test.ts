import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { startServer } from './support/http';

type Harness = Awaited<ReturnType<typeof startServer>>;

describe('the ATP loop through the client SDK', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer();
  });
  afterAll(() => h.close());

  it('searches, explores and reads types', async () => {
    const client = new AgentToolProtocolClient({ baseUrl: h.url });
    await client.init({ name: 'e2e' });
    const results = await client.searchQuery('How do I close a ticket?');
    expect(results[0]).toMatchObject({ apiGroup: 'tickets', functionName: 'close' });
    expect(results[0]).toMatchObject({ name: 'tickets.close', signature: expect.stringMatching(/^\(/) });
    const root = await client.exploreAPI('/');
    expect(root).toMatchObject({ type: 'directory', items: [{ name: 'custom', type: 'directory' }] });
    const fn = await client.exploreAPI('/custom/tickets/list');
    expect(fn).toMatchObject({ type: 'function', name: 'list', group: 'tickets' });
    const types = await client.getTypeDefinitions();
    expect(types).toContain('tickets');
    expect(types).toContain('priority');
    const runtimeWithoutLLM = await client.getRuntimeDefinitions();
    expect(runtimeWithoutLLM).not.toContain('llm');
  });

  it('runs code that calls an API and filters in the sandbox', async () => {
    const client = new AgentToolProtocolClient({ baseUrl: h.url });
    await client.init();
    const result = await client.execute(`
      const open = await api.tickets.list({ status: 'open' });
      return open.filter((t) => t.priority === 'high').map((t) => t.id);
    `);
    expect(result.status).toBe('completed');
    const expected = h.desk.tickets
      .filter((t) => t.status === 'open' && t.priority === 'high')
      .map((t) => t.id);
    expect(result.result).toEqual(expected);
    expect(result.stats.toolCallsCount).toBe(1);
  });

  it('answers LLM callbacks, several of them in one round trip', async () => {
    const prompts: string[] = [];
    const client = new AgentToolProtocolClient({ baseUrl: h.url }).provideLLM({
      call: async (prompt) => {
        prompts.push(prompt);
        return prompt.toUpperCase();
      },
    });
    await client.init();
    const runtime = await client.getRuntimeDefinitions();
    expect(runtime).toContain('llm');
    const result = await client.execute(`
      const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
      return await Promise.all(words.map((w) => atp.llm.call(w)));
    `);
    expect(result).toMatchObject({
      status: 'completed',
      result: ['ALPHA', 'BETA', 'GAMMA', 'DELTA', 'EPSILON'],
    });
    expect(prompts.sort()).toEqual(['alpha', 'beta', 'delta', 'epsilon', 'gamma']);
    expect(result.stats.llmCallsCount).toBe(5);
  });

  it('turns a client that cannot answer into an error inside the sandbox', async () => {
    const client = new AgentToolProtocolClient({ baseUrl: h.url }).provideLLM({
      call: async () => {
        throw new Error('model is down');
      },
    });
    await client.init();
    const result = await client.execute(`
      try { await atp.llm.call('x'); return 'no error'; } catch (error) { return 'caught: ' + error.message; }
    `);
    expect(result).toMatchObject({ status: 'completed', result: 'caught: model is down' });
  });

  it('asks the client for approval and runs client-side tools', async () => {
    const approvals: string[] = [];
    const client = new AgentToolProtocolClient({ baseUrl: h.url })
      .provideApproval(async (message) => {
        approvals.push(message);
        return { approved: message.includes('T-2') };
      })
      .provideTools([{ name: 'localTime', handler: async () => '12:00' }]);
    await client.init();
    const result = await client.execute(`
      const first = await atp.approval.request('Close T-2?');
      const second = await atp.approval.request('Close T-3?');
      const time = await api.client.localTime({});
      return { first: first.approved, second: second.approved, time };
    `);
    expect(result).toMatchObject({
      status: 'completed',
      result: { first: true, second: false, time: '12:00' },
    });
    expect(approvals).toEqual(['Close T-2?', 'Close T-3?']);
  });

  it('reports API errors inside the sandbox with code and status', async () => {
    const client = new AgentToolProtocolClient({ baseUrl: h.url });
    await client.init();
    const caught = await client.execute(`
      try { await api.tickets.get({ id: 'T-999' }); } catch (e) { return { message: e.message, code: e.code, status: e.status }; }
    `);
    expect(caught.result).toEqual({ message: 'Ticket T-999 not found', code: 'NOT_FOUND', status: 404 });
    const unknown = await client.execute('return await api.tickets.lst({})');
    expect(unknown.status).toBe('failed');
    expect(unknown.error?.message).toContain('tickets.list');
  });

  it('refreshes its token by itself after the rotation time', async () => {
    const fast = await startServer({ clientInit: { tokenTTL: 60, tokenRotation: 1 } });
    try {
      const client = new AgentToolProtocolClient({ baseUrl: fast.url });
      await client.init();
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await client.execute('return 7')).result).toBe(7);
      expect((await client.searchAPI('tickets')).length).toBeGreaterThan(0);
    } finally {
      await fast.close();
    }
  });
});

describe('server composition', () => {
  it('runs seed-style middleware with the client id and lets it reject requests', async () => {
    const seen: string[] = [];
    const h = await startServer({}, (server) =>
      server.use(async (ctx, next) => {
        seen.push(`${ctx.method} ${ctx.path} ${ctx.clientId ?? '-'}`);
        if (ctx.path === '/api/search' && (ctx.body as { query?: string }).query === 'forbidden') {
          ctx.res.status(403).json({ error: 'Searching for that is not allowed here.', code: 'FORBIDDEN' });
          return;
        }
        await next();
      }),
    );
    try {
      const a = await h.init();
      expect(
        (await h.call('POST', '/api/search', { body: { query: 'tickets' }, headers: a.headers })).status,
      ).toBe(200);
      const blocked = await h.call('POST', '/api/search', {
        body: { query: 'forbidden' },
        headers: a.headers,
      });
      expect(blocked.status).toBe(403);
      expect(seen).toContain(`POST /api/search ${a.clientId}`);
      expect(seen.some((line) => line.startsWith('POST /api/init -'))).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('mounts in an existing express app through handler()', async () => {
    const express = (await import('express')).default;
    const { createServer } = await import('@agent-tool-protocol/server');
    const { supportDesk } = await import('./support/support-desk');
    const atp = createServer({ auth: { jwtSecret: 'x'.repeat(32) }, execution: { isolatePoolSize: 0 } });
    atp.addAPIGroup(supportDesk().group);
    const app = express();
    app.get('/own', (_req, res) => {
      res.json({ own: true });
    });
    app.use('/atp', atp.handler());
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const client = new AgentToolProtocolClient({ baseUrl: `http://127.0.0.1:${port}/atp` });
      await client.init();
      expect((await client.execute('return (await api.tickets.list({})).length')).result).toBe(30);
      expect(await (await fetch(`http://127.0.0.1:${port}/own`)).json()).toEqual({ own: true });
    } finally {
      server.close();
      await atp.shutdown(100);
    }
  });

  it('shutdown lets a running execution finish and then refuses new work', async () => {
    const h = await startServer();
    const client = new AgentToolProtocolClient({ baseUrl: h.url });
    await client.init();
    const running = client.execute('await api.tickets.wait({ ms: 300 }); return "finished"');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopping = h.server.shutdown(5000);
    expect((await running).result).toBe('finished');
    await stopping;
    await expect(client.execute('return 1')).rejects.toThrow(/reach|shutting down/);
  });
});
