import { serveBackend } from '../src/scenarios/backend.ts';
import { anthropicModel, openAIModel, realModelFromEnv } from '../src/scenarios/real-model.ts';
import { scenarioById } from '../src/scenarios/registry.ts';
import type { Message, ToolSpec } from '../src/scenarios/types.ts';

describe('scenario backend over HTTP', () => {
  it('routes by the spec, coerces typed query parameters and reports bad input as 400', async () => {
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
  { role: 'assistant', content: '', toolCall: { name: 'messages_list', arguments: { page: 1 } } },
  { role: 'tool', toolName: 'messages_list', content: '{"messages":[]}' },
];
const tools: ToolSpec[] = [{ name: 'messages_list', description: 'List', inputSchema: { type: 'object' } }];

describe('real model adapters (offline)', () => {
  it('OpenAI: sends tool calls and results with matching ids and reads a tool call back', async () => {
    const { requests, fetchImpl } = recordingFetch({
      choices: [
        { message: { tool_calls: [{ function: { name: 'messages_list', arguments: '{"page":2}' } }] } },
      ],
    });
    const turn = await openAIModel('sk-test', 'gpt-test', fetchImpl).next(conversation, tools);
    expect(turn).toEqual({ toolCall: { name: 'messages_list', arguments: { page: 2 } } });
    const body = requests[0]!.body;
    expect(requests[0]!.headers.authorization).toBe('Bearer sk-test');
    expect(body.messages[2].tool_calls[0].id).toBe(body.messages[3].tool_call_id);
    expect(body.tools[0].function).toEqual({
      name: 'messages_list',
      description: 'List',
      parameters: { type: 'object' },
    });
  });

  it('Anthropic: system apart, tool_use / tool_result pairs, text answers', async () => {
    const { requests, fetchImpl } = recordingFetch({ content: [{ type: 'text', text: '{"done":true}' }] });
    const turn = await anthropicModel('key', 'claude-test', fetchImpl).next(conversation, tools);
    expect(turn).toEqual({ text: '{"done":true}' });
    const body = requests[0]!.body;
    expect(body.system).toBe('be brief');
    expect(body.messages[1].content[0]).toMatchObject({ type: 'tool_use', name: 'messages_list' });
    expect(body.messages[2].content[0].tool_use_id).toBe(body.messages[1].content[0].id);
  });

  it('is chosen only when a key is in the environment', () => {
    expect(realModelFromEnv({})).toBeUndefined();
    expect(realModelFromEnv({ ANTHROPIC_API_KEY: 'k' })).toBeDefined();
  });
});
