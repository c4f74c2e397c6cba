import {
  type CreateMessageRequest,
  CreateMessageRequestSchema,
  type ElicitRequest,
  ElicitRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { json, resourceText, startAtpWithMcp } from './harness';

type Harness = Awaited<ReturnType<typeof startAtpWithMcp>>;

describe('ATP served over MCP Streamable HTTP (mounted at /mcp of a real ATP server)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAtpWithMcp();
  });
  afterAll(() => h.close());

  it('lists the three tools and the declaration resources', async () => {
    const client = await h.connect();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['execute_code', 'explore_api', 'search_api']);
    const execute = tools.find((tool) => tool.name === 'execute_code')!;
    expect(execute.inputSchema).toMatchObject({
      properties: { code: { type: 'string' }, timeout: { type: 'integer' } },
    });
    expect(client.getInstructions()).toContain('execute_code');

    const { resources } = await client.listResources();
    const uris = resources.map((resource) => resource.uri);
    expect(uris).toEqual(
      expect.arrayContaining([
        'atp://definitions/api',
        'atp://definitions/runtime',
        'atp://definitions/api/warehouse',
      ]),
    );
    const api = await client.readResource({ uri: 'atp://definitions/api' });
    expect(api.contents[0]).toMatchObject({ mimeType: 'text/plain' });
    expect(await resourceText(client, 'atp://definitions/api')).toContain('listProducts');
    expect(await resourceText(client, 'atp://definitions/api/warehouse')).toContain('stockLevel');
    const runtime = await resourceText(client, 'atp://definitions/runtime');
    expect(runtime).toContain('progress');
    expect(runtime).not.toContain('approval');
  });

  it('searches and explores the catalogue', async () => {
    const client = await h.connect();
    const found = json(
      await client.callTool({ name: 'search_api', arguments: { query: 'units in stock for a product' } }),
    );
    expect(found[0]).toMatchObject({ call: 'api.warehouse.stockLevel' });
    expect(found[0].signature).toContain('sku: string');

    const nothing = await client.callTool({ name: 'search_api', arguments: { query: 'zzzqqq' } });
    expect(json(nothing)).toEqual([]);
    expect((nothing.content as Array<{ text: string }>)[1]!.text).toContain('explore_api');

    const root = json(await client.callTool({ name: 'explore_api', arguments: { path: '/' } }));
    expect(root).toMatchObject({ type: 'directory', items: [{ name: 'custom', type: 'directory' }] });
    const fn = json(
      await client.callTool({ name: 'explore_api', arguments: { path: '/custom/warehouse/listProducts' } }),
    );
    expect(fn).toMatchObject({ type: 'function', call: 'api.warehouse.listProducts' });
    expect(fn.definition).toContain('category');

    const bad = await client.callTool({ name: 'explore_api', arguments: { path: 'no-slash' } });
    expect(bad.isError).toBe(true);
    expect(json(bad).error).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(json(bad).error.message).toContain('path');
  });

  it('runs code that calls APIs and joins their data in the sandbox', async () => {
    const client = await h.connect();
    const before = h.data.calls.stock;
    const result = await client.callTool({
      name: 'execute_code',
      arguments: {
        code: `
          const tools = await api.warehouse.listProducts({ category: 'tools' });
          const levels = await Promise.all(tools.map((p) => api.warehouse.stockLevel({ sku: p.sku })));
          atp.log.info('checked ' + levels.length + ' products');
          return tools.filter((p, i) => levels[i].units === 0).map((p) => p.sku);
        `,
      },
    });
    expect(result.isError).toBeFalsy();
    const expected = h.data.products
      .filter((p) => p.category === 'tools' && h.data.stock[p.sku] === 0)
      .map((p) => p.sku);
    expect(json(result)).toEqual({
      status: 'completed',
      result: expected,
      logs: ['[info] checked 4 products'],
    });
    expect(h.data.calls.stock - before).toBe(4);
  });

  it('reports failed executions as tool errors with the execution error', async () => {
    const client = await h.connect();
    const failed = await client.callTool({
      name: 'execute_code',
      arguments: { code: 'return await api.warehouse.stockLevl({})' },
    });
    expect(failed.isError).toBe(true);
    const body = json(failed);
    expect(body.status).toBe('failed');
    expect(body.error.message).toContain('warehouse.stockLevel');

    const syntax = await client.callTool({ name: 'execute_code', arguments: { code: 'return (' } });
    expect(syntax.isError).toBe(true);
    expect(json(syntax).status).toMatch(/parse_error|failed/);
  });

  it('cuts very large results and says so', async () => {
    const client = await h.connect();
    const result = await client.callTool({
      name: 'execute_code',
      arguments: { code: "return 'x'.repeat(50000)" },
    });
    const text = (result.content as Array<{ text: string }>)[0]!.text;
    expect(text.length).toBeLessThan(20_200);
    expect(text).toContain('more characters cut');
  });

  it('answers atp.llm.* through MCP sampling, a fan-out concurrently in one round', async () => {
    const requests: CreateMessageRequest['params'][] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    // A session opened with a token acts as that client: it declared hasLLM at /api/init.
    const llmClient = h.bearer(await h.token({ hasLLM: true }));
    const client = await h.connect(
      { sampling: {} },
      (c) =>
        c.setRequestHandler(CreateMessageRequestSchema, async (request) => {
          requests.push(request.params);
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 50));
          inFlight--;
          const message = request.params.messages[0]!.content as { type: 'text'; text: string };
          const text = message.text.startsWith('Classify')
            ? 'Garden.'
            : request.params.systemPrompt?.includes('JSON Schema')
              ? '```json\n{"total": 42}\n```'
              : message.text.toUpperCase();
          return { model: 'test-model', role: 'assistant', content: { type: 'text', text } };
        }),
      llmClient,
    );
    expect(await resourceText(client, 'atp://definitions/runtime')).toContain('llm');

    const result = await client.callTool({
      name: 'execute_code',
      arguments: {
        code: `
          const names = (await api.warehouse.listProducts({ category: 'garden' })).slice(0, 3).map((p) => p.name);
          const shouted = await Promise.all(names.map((n) => atp.llm.call(n, { temperature: 0, maxTokens: 20 })));
          const extracted = await atp.llm.extract({ prompt: 'total?', schema: { type: 'object', properties: { total: { type: 'number' } } } });
          const category = await atp.llm.classify('a rake', ['tools', 'garden', 'kitchen']);
          return { shouted, extracted, category };
        `,
      },
    });
    expect(result.isError).toBeFalsy();
    expect(json(result).result).toEqual({
      shouted: ['PRODUCT 2', 'PRODUCT 5', 'PRODUCT 8'],
      extracted: { total: 42 },
      category: 'garden',
    });
    expect(requests).toHaveLength(5);
    expect(maxInFlight).toBe(3);
    expect(requests[0]).toMatchObject({ maxTokens: 20, temperature: 0 });
  });

  it('passes sampling failures into the sandbox as errors', async () => {
    const client = await h.connect(
      { sampling: {} },
      (c) =>
        c.setRequestHandler(CreateMessageRequestSchema, async () => {
          throw new Error('user rejected sampling');
        }),
      h.bearer(await h.token({ hasLLM: true })),
    );
    const result = await client.callTool({
      name: 'execute_code',
      arguments: { code: "try { await atp.llm.call('hi'); return 'no'; } catch (e) { return e.message; }" },
    });
    expect(json(result).result).toContain('user rejected sampling');
  });

  it('answers atp.approval.request through MCP elicitation', async () => {
    const asked: ElicitRequest['params'][] = [];
    const client = await h.connect(
      { elicitation: {} },
      (c) =>
        c.setRequestHandler(ElicitRequestSchema, async (request) => {
          asked.push(request.params);
          const message = request.params.message;
          if (message.includes('SKU-1?')) return { action: 'accept', content: { approved: true } };
          if (message.includes('SKU-2?'))
            return { action: 'accept', content: { approved: false, reason: 'too costly' } };
          return { action: 'decline' };
        }),
      h.bearer(await h.token({ hasApproval: true })),
    );
    const result = await client.callTool({
      name: 'execute_code',
      arguments: {
        code: `
          const [a, b, c] = await Promise.all([
            atp.approval.request('Reorder SKU-1?', { units: 10 }),
            atp.approval.request('Reorder SKU-2?'),
            atp.approval.request('Reorder SKU-3?'),
          ]);
          return { a, b, c };
        `,
      },
    });
    expect(json(result).result).toEqual({
      a: { approved: true },
      b: { approved: false, reason: 'too costly' },
      c: { approved: false, reason: 'the user chose decline' },
    });
    expect(asked).toHaveLength(3);
    const first = asked.find((params) => params.message.includes('SKU-1'))!;
    expect(first.message).toContain('"units": 10');
    expect(first).toMatchObject({
      requestedSchema: { properties: { approved: { type: 'boolean' } }, required: ['approved'] },
    });
  });

  it('names the missing capability when the MCP client cannot sample or elicit', async () => {
    const client = await h.connect();
    expect(await resourceText(client, 'atp://definitions/runtime')).not.toContain('llm');
    const result = await client.callTool({
      name: 'execute_code',
      arguments: { code: "return await atp.llm.call('hi')" },
    });
    expect(result.isError).toBe(true);
    expect(json(result).hint).toBe(
      'atp.llm.* is unavailable: the ATP client whose token opened this session did not declare services.hasLLM at init.',
    );
    const approval = await client.callTool({
      name: 'execute_code',
      arguments: { code: "return await atp.approval.request('ok?')" },
    });
    expect(json(approval).hint).toBe(
      'atp.approval.* is unavailable: the ATP client whose token opened this session did not declare services.hasApproval at init.',
    );
  });

  it('keeps the sessions of different clients apart and ends them with DELETE; unknown sessions get 404', async () => {
    const a = await h.connect();
    const b = await h.connect({}, undefined, h.bearer(await h.token()));
    const open = h.mcp.sessionCount;
    expect(open).toBeGreaterThanOrEqual(2);
    // atp.cache is private to an ATP client: a session authenticated with a token acts as that client.
    await a.callTool({
      name: 'execute_code',
      arguments: { code: "await atp.cache.set('k', 'a'); return 1" },
    });
    const read = "return (await atp.cache.get('k')) ?? null";
    expect(json(await a.callTool({ name: 'execute_code', arguments: { code: read } })).result).toBe('a');
    expect(json(await b.callTool({ name: 'execute_code', arguments: { code: read } })).result).toBeNull();
    const sameClient = await h.connect();
    expect(json(await sameClient.callTool({ name: 'execute_code', arguments: { code: read } })).result).toBe(
      'a',
    );
    const transport =
      a.transport as import('@modelcontextprotocol/sdk/client/streamableHttp.js').StreamableHTTPClientTransport;
    const sessionId = transport.sessionId!;
    await transport.terminateSession();
    expect(h.mcp.sessionCount).toBe(open);
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${h.defaultToken}`,
    };
    const gone = await fetch(h.endpoint, {
      method: 'POST',
      headers: { ...headers, 'mcp-session-id': sessionId },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(gone.status).toBe(404);
    const noSession = await fetch(h.endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(noSession.status).toBe(400);
    expect((await b.listTools()).tools).toHaveLength(3);
  });
});
