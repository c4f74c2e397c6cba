import { createEngine } from '@agent-tool-protocol/engine';
import { answerCallback, createATPMCPServer } from '@agent-tool-protocol/mcp-adapter';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { type ClientCapabilities, CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { json, resourceText } from './harness';
import { warehouse } from './warehouse';

const data = warehouse();
const engine = createEngine({
  auth: { jwtSecret: 'mcp-adapter-test-secret-long-enough' },
  execution: { isolatePoolSize: 1 },
  apiGroups: [data.group],
});
const open: Array<{ client: Client; server: McpServer }> = [];

async function pair(capabilities: ClientCapabilities, setup?: (client: Client) => void) {
  const server = createATPMCPServer(engine, { name: 'atp-test', maxResultChars: 5000 });
  const client = new Client({ name: 'in-memory', version: '0.0.1' }, { capabilities });
  setup?.(client);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  open.push({ client, server });
  return { client, server };
}

afterAll(async () => {
  for (const { client, server } of open) {
    await client.close();
    await server.close();
  }
  await engine.shutdown(1000);
});

const context = (server: McpServer) => ({ peer: server.server, timeoutMs: 5000, defaultMaxTokens: 100 });

describe('answering ATP callbacks through the MCP session', () => {
  it('answers {__error, message} naming the capability the MCP client lacks', async () => {
    const { server } = await pair({});
    expect(
      await answerCallback(
        { id: 'a', type: 'llm', operation: 'call', payload: { prompt: 'hi' } },
        context(server),
      ),
    ).toEqual({
      __error: true,
      message: 'atp.llm.call needs MCP sampling, but the MCP client does not support sampling',
    });
    expect(
      await answerCallback(
        { id: 'b', type: 'approval', operation: 'request', payload: { message: 'ok?', executionId: 'x' } },
        context(server),
      ),
    ).toEqual({
      __error: true,
      message: 'atp.approval.request needs MCP elicitation, but the MCP client does not support elicitation',
    });
    expect(
      await answerCallback(
        { id: 'c', type: 'embedding', operation: 'embed', payload: { text: 'x' } },
        context(server),
      ),
    ).toMatchObject({ __error: true, message: expect.stringContaining('no MCP equivalent') });
  });

  it('declares the session services from the client capabilities', async () => {
    const both = await pair({ sampling: {}, elicitation: { form: {} } });
    const text = await resourceText(both.client, 'atp://definitions/runtime');
    expect(text).toContain('llm');
    expect(text).toContain('approval');
    const none = await pair({});
    const plain = await resourceText(none.client, 'atp://definitions/runtime');
    expect(plain).not.toContain('approval');
  });

  it('turns a sampled answer that is none of the categories into an error in the sandbox', async () => {
    const { client } = await pair({ sampling: {} }, (c) =>
      c.setRequestHandler(CreateMessageRequestSchema, async () => ({
        model: 'm',
        role: 'assistant',
        content: { type: 'text', text: 'no idea' },
      })),
    );
    const result = await client.callTool({
      name: 'execute_code',
      arguments: {
        code: "try { return await atp.llm.classify('x', ['a', 'b']); } catch (e) { return e.message; }",
      },
    });
    expect(json(result).result).toContain('"no idea" is none of the categories a, b');
  });

  it('forwards atp.progress.report as MCP progress notifications', async () => {
    const { client } = await pair({});
    const seen: string[] = [];
    const result = await client.callTool(
      {
        name: 'execute_code',
        arguments: { code: "atp.progress.report('half way', 0.5); atp.progress.report('done', 1); return 1" },
      },
      undefined,
      { onprogress: (progress) => seen.push(`${progress.progress}:${progress.message}`) },
    );
    expect(json(result).result).toBe(1);
    expect(seen).toEqual(['1:half way', '2:done']);
  });

  it('cancels the execution when the MCP client cancels the tool call', async () => {
    const controller = new AbortController();
    let sampled!: () => void;
    const asked = new Promise<void>((resolve) => {
      sampled = resolve;
    });
    const { client } = await pair({ sampling: {} }, (c) =>
      c.setRequestHandler(CreateMessageRequestSchema, async () => {
        sampled();
        await new Promise((resolve) => setTimeout(resolve, 200));
        return { model: 'm', role: 'assistant', content: { type: 'text', text: 'late' } };
      }),
    );
    const before = data.calls.stock;
    const call = client.callTool(
      {
        name: 'execute_code',
        arguments: {
          code: "await atp.llm.call('wait'); return await api.warehouse.stockLevel({ sku: 'SKU-1' });",
        },
      },
      undefined,
      { signal: controller.signal },
    );
    await asked;
    controller.abort();
    await expect(call).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(data.calls.stock).toBe(before);
  });

  it('rejects bad options with a ValidationError naming the field', () => {
    expect(() => createATPMCPServer(engine, { maxResultChars: 10 })).toThrow(/maxResultChars/);
  });
});
