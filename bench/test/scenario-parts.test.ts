import { serveBackend } from '../src/scenarios/backend.ts';
import { anthropicModel, openAIModel, realModelFromEnv } from '../src/scenarios/real-model.ts';
import { scenarioById } from '../src/scenarios/registry.ts';
import type { Message, ToolSpec } from '../src/scenarios/types.ts';

describe('scenario backend over HTTP', () => {
  it('routes by the spec, coerces typed query parameters, reports bad input as 400 and counts requests', async () => {
    const served = await serveBackend(scenarioById('email').createBackend('smoke'));
    try {
      const response = await fetch(`${served.url}/messages?folder=inbox&page=2&pageSize=10`);
      const page = (await response.json()) as { messages: unknown[] };
      expect(page).toMatchObject({ page: 2, nextPage: 3, total: 24 });
      expect(page.messages).toHaveLength(10);
      const labelled = await fetch(`${served.url}/messages/msg_0001/labels`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ label: 'x' }),
      });
      expect(await labelled.json()).toMatchObject({ id: 'msg_0001', labels: expect.arrayContaining(['x']) });
      const missing = await fetch(`${served.url}/messages/nope`);
      expect(missing.status).toBe(400);
      expect(await missing.json()).toEqual({ message: 'no message nope' });
      expect((await fetch(`${served.url}/unknown`)).status).toBe(404);
      // Every request that reached an operation is counted, failed ones too; unrouted ones are not.
      expect(served.requests()).toEqual({ 'messages/addLabel': 1, 'messages/get': 1, 'messages/list': 1 });
    } finally {
      await served.close();
    }
  });
});

// The real-model adapters need the internet; a recording fetch stands in for the provider APIs.
function recordingFetch(answer: unknown) {
  const requests: Array<{ url: string; body: any; headers: Record<string, string> }> = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    requests.push({
      url,
      body: JSON.parse(String(init.body)),
      headers: init.headers as Record<string, string>,
    });
    return new Response(JSON.stringify(answer), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  }) as unknown as typeof fetch;
  return { requests, fetchImpl };
}

const conversation: Message[] = [
  { role: 'system', content: 'be brief' },
  { role: 'user', content: 'label it' },
  {
    role: 'assistant',
    content: '',
    toolCalls: [
      { name: 'messages_list', arguments: { page: 1 } },
      { name: 'messages_list', arguments: { page: 2 } },
    ],
  },
  { role: 'tool', toolName: 'messages_list', content: '{"messages":[]}' },
  { role: 'tool', toolName: 'messages_list', content: '{"messages":[1]}' },
];
const tools: ToolSpec[] = [{ name: 'messages_list', description: 'List', inputSchema: { type: 'object' } }];

describe('real model adapters (offline)', () => {
  it('OpenAI: sends the tool calls of a turn and their results with matching ids and reads parallel calls back', async () => {
    const { requests, fetchImpl } = recordingFetch({
      choices: [
        {
          message: {
            tool_calls: [
              { function: { name: 'messages_list', arguments: '{"page":3}' } },
              { function: { name: 'messages_list', arguments: '{"page":4}' } },
            ],
          },
        },
      ],
    });
    const turn = await openAIModel('sk-test', 'gpt-test', fetchImpl).next(conversation, tools, {
      parallelToolCalls: true,
    });
    expect(turn).toEqual({
      toolCalls: [
        { name: 'messages_list', arguments: { page: 3 } },
        { name: 'messages_list', arguments: { page: 4 } },
      ],
    });
    const body = requests[0]!.body;
    expect(requests[0]!.headers.authorization).toBe('Bearer sk-test');
    expect(body.parallel_tool_calls).toBe(true);
    const ids = body.messages[2].tool_calls.map((call: { id: string }) => call.id);
    expect(new Set(ids).size).toBe(2);
    expect([body.messages[3].tool_call_id, body.messages[4].tool_call_id]).toEqual(ids);
    expect(body.tools[0].function).toEqual({
      name: 'messages_list',
      description: 'List',
      parameters: { type: 'object' },
    });
  });

  it('Anthropic: system apart, the tool results of one turn in one user message, serial on request, text answers', async () => {
    const { requests, fetchImpl } = recordingFetch({ content: [{ type: 'text', text: '{"done":true}' }] });
    const turn = await anthropicModel('key', 'claude-test', fetchImpl).next(conversation, tools, {
      parallelToolCalls: false,
    });
    expect(turn).toEqual({ text: '{"done":true}' });
    const body = requests[0]!.body;
    expect(body.system).toBe('be brief');
    expect(body.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(body.messages).toHaveLength(3);
    const uses = body.messages[1].content.map((block: { id: string }) => block.id);
    expect(body.messages[1].content[0]).toMatchObject({ type: 'tool_use', name: 'messages_list' });
    expect(body.messages[2].role).toBe('user');
    expect(body.messages[2].content.map((block: { tool_use_id: string }) => block.tool_use_id)).toEqual(uses);
    expect(new Set(uses).size).toBe(2);
  });

  it('is chosen only when a key is in the environment', () => {
    expect(realModelFromEnv({})).toBeUndefined();
    expect(realModelFromEnv({ ANTHROPIC_API_KEY: 'k' })).toBeDefined();
  });
});
