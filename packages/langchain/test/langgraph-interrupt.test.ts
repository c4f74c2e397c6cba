import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { AIMessage, type BaseMessage, HumanMessage } from '@langchain/core/messages';
import {
  Command,
  END,
  interrupt,
  MemorySaver,
  MessagesAnnotation,
  START,
  StateGraph,
} from '@langchain/langgraph';
import { ToolNode, toolsCondition } from '@langchain/langgraph/prebuilt';
import { approvalFromInterrupt, createATPTools } from '../src/index.js';
import { startATPServer } from './support/atp-server';
import { ScriptedToolCallingModel, toolCall } from './support/scripted-chat-model';

type Harness = Awaited<ReturnType<typeof startATPServer>>;

// The package does not depend on LangGraph; this test checks that its interrupt helper works with the real one.
describe('approvalFromInterrupt with a real LangGraph graph', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startATPServer();
  });
  afterAll(() => h.close());

  async function buildGraph(code: string) {
    const client = new AgentToolProtocolClient({ baseUrl: h.url }).provideApproval(
      approvalFromInterrupt(interrupt),
    );
    await client.init();
    const tools = createATPTools(client);
    const model = new ScriptedToolCallingModel([
      () => toolCall('atp_execute_code', { code }, 'call_close'),
      (messages: BaseMessage[]) => new AIMessage(`Result: ${String(messages.at(-1)?.content)}`),
    ]);
    const agent = model.bindTools(tools);
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('agent', async (state) => ({ messages: [await agent.invoke(state.messages)] }))
      .addNode('tools', new ToolNode(tools))
      .addEdge(START, 'agent')
      .addConditionalEdges('agent', toolsCondition, ['tools', END])
      .addEdge('tools', 'agent')
      .compile({ checkpointer: new MemorySaver() });
    return graph;
  }

  it('suspends the graph for the approval and, on resume, continues the same ATP execution', async () => {
    h.desk.closed.length = 0;
    const code = `
      const runs = ((await atp.cache.get('lg-runs')) ?? 0) + 1;
      await atp.cache.set('lg-runs', runs);
      const closed = await api.desk.tickets.close({ id: 'T-9' });
      return { runs, closed: closed.status };`;
    const graph = await buildGraph(code);
    const config = { configurable: { thread_id: 'approval-thread' } };

    const suspended = await graph.invoke({ messages: [new HumanMessage('Close T-9')] }, config);
    const interrupts = (suspended as { __interrupt__?: Array<{ value: unknown }> }).__interrupt__;
    expect(interrupts?.map((entry) => entry.value)).toEqual([
      { type: 'atp_approval', message: 'Close ticket T-9?', context: expect.anything() },
    ]);
    expect(h.desk.closed).toEqual([]);

    const finished = await graph.invoke(new Command({ resume: { approved: true } }), config);
    const last = finished.messages.at(-1)!;
    expect(String(last.content)).toBe(
      'Result: status: completed (1 API calls, 1 approvals)\nresult: {"runs":1,"closed":"closed"}',
    );
    expect(h.desk.closed).toEqual(['T-9']);
  });

  it('a denial on resume reaches the agent code', async () => {
    h.desk.closed.length = 0;
    const graph = await buildGraph(`
      try { await api.desk.tickets.close({ id: 'T-10' }); return 'closed'; } catch (error) { return error.message; }`);
    const config = { configurable: { thread_id: 'denial-thread' } };
    await graph.invoke({ messages: [new HumanMessage('Close T-10')] }, config);
    const finished = await graph.invoke(new Command({ resume: 'no, not this one' }), config);
    expect(String(finished.messages.at(-1)!.content)).toContain(
      'result: Approval for api.desk.tickets.close was denied: no, not this one',
    );
    expect(h.desk.closed).toEqual([]);
  });
});
