import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { AIMessage, type BaseMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { createATPTools } from '../src/index.js';
import { startATPServer } from './support/atp-server';
import { ScriptedToolCallingModel, toolCall } from './support/scripted-chat-model';

type Harness = Awaited<ReturnType<typeof startATPServer>>;

const lastToolResult = (messages: BaseMessage[]) => String(messages.at(-1)?.content);

describe('ATP tools inside a LangChain tool-calling loop', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startATPServer();
  });
  afterAll(() => h.close());

  it('lets a model search the API, then run code that answers in one compact result', async () => {
    const client = new AgentToolProtocolClient({ baseUrl: h.url });
    await client.init({ name: 'langchain-test' });
    const tools = createATPTools(client);
    expect(tools.map((tool) => tool.name)).toEqual(['atp_search_api', 'atp_explore_api', 'atp_execute_code']);

    const code = `
      const open = await api.desk.tickets.list({ status: 'open' });
      return { open: open.length, high: open.filter((t) => t.priority === 'high').map((t) => t.id) };`;
    const model = new ScriptedToolCallingModel([
      () => toolCall('atp_search_api', { query: 'list support tickets' }, 'call_1'),
      (messages) => {
        // The model writes code from what the search answered.
        expect(lastToolResult(messages)).toContain('api.desk.tickets.list(');
        return toolCall('atp_execute_code', { code }, 'call_2');
      },
      (messages) => new AIMessage(`Done: ${lastToolResult(messages)}`),
    ]);
    const bound = model.bindTools(tools);
    expect(model.boundTools).toEqual(['atp_search_api', 'atp_explore_api', 'atp_execute_code']);

    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    const messages: BaseMessage[] = [
      new HumanMessage('How many tickets are open, and which are high priority?'),
    ];
    for (let turn = 0; turn < 5; turn++) {
      const reply = (await bound.invoke(messages)) as AIMessage;
      messages.push(reply);
      if (!reply.tool_calls?.length) break;
      for (const call of reply.tool_calls) {
        messages.push((await byName.get(call.name)!.invoke(call)) as ToolMessage);
      }
    }

    const toolMessages = messages.filter((message): message is ToolMessage => message instanceof ToolMessage);
    expect(toolMessages.map((message) => message.tool_call_id)).toEqual(['call_1', 'call_2']);
    const search = String(toolMessages[0]!.content);
    expect(search.split('\n')[1]).toContain('api.desk.tickets.list(');
    const open = h.desk.tickets.filter((t) => t.status === 'open');
    const high = open.filter((t) => t.priority === 'high').map((t) => t.id);
    expect(String(toolMessages[1]!.content)).toBe(
      `status: completed (1 API calls)\nresult: ${JSON.stringify({ open: open.length, high })}`,
    );
    expect(String(messages.at(-1)!.content)).toContain(`"open":${open.length}`);
  });

  it('explores the API tree down to a function definition', async () => {
    const client = new AgentToolProtocolClient({ baseUrl: h.url });
    await client.init();
    const [, explore] = createATPTools(client);
    const root = await explore!.invoke({ path: '/' });
    expect(root).toContain('/custom/');
    const fn = await explore!.invoke({ path: '/custom/desk/tickets/close' });
    expect(fn).toContain('/custom/desk/tickets/close: Close a support ticket');
    expect(fn).toContain('api.desk.tickets.close(');
  });

  it('offers the definitions tool when asked, and a custom name prefix', async () => {
    const client = new AgentToolProtocolClient({ baseUrl: h.url });
    await client.init();
    const tools = createATPTools(client, {
      tools: ['definitions', 'execute'],
      namePrefix: 'desk_',
      descriptions: { definitions: 'Desk types. Prefer atp_search_api.' },
    });
    expect(tools[0]!.description).toBe('Desk types. Prefer desk_search_api.');
    expect(tools.map((tool) => tool.name)).toEqual(['desk_get_definitions', 'desk_execute_code']);
    expect(tools[1]!.description).toContain('names from desk_search_api');
    expect(tools[1]!.description).not.toContain('atp_search_api');
    expect(String(await tools[1]!.invoke({ code: 'throw new Error("x")' }))).toContain(
      'check function names and inputs with desk_search_api or desk_explore_api',
    );
    const definitions = String(await tools[0]!.invoke({}));
    expect(definitions).toContain('tickets');
    expect(definitions).toContain('declare const atp');
  });

  it('validates its options, naming the bad field', () => {
    const client = new AgentToolProtocolClient({ baseUrl: h.url });
    expect(() => createATPTools(client, { maxResultChars: 10 })).toThrow(/options\.maxResultChars/);
    expect(() => createATPTools(client, { namePrefix: 'a b' })).toThrow(/options\.namePrefix/);
    expect(() => createATPTools({} as AgentToolProtocolClient)).toThrow(/AgentToolProtocolClient/);
  });
});
