// A real model instead of the scripted one, when OPENAI_API_KEY or ANTHROPIC_API_KEY is set
// (ATP_SCENARIOS_MODEL=real). Native tool calling on both APIs. Not exercised offline: the smoke test
// and the recorded numbers use the scripted model.
import type { ChatModel, Message, ModelTurn, ToolSpec } from './types.ts';

type Fetch = typeof fetch;

async function postJson(fetchImpl: Fetch, url: string, headers: Record<string, string>, body: unknown) {
  const response = await fetchImpl(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, any>;
  if (!response.ok)
    throw new Error(`${url} answered ${response.status}: ${JSON.stringify(json).slice(0, 500)}`);
  return json;
}

/** Assistant tool calls get ids from their position; the following tool message answers that id. */
const callId = (index: number) => `call_${index}`;

export function openAIModel(apiKey: string, model = 'gpt-4.1-mini', fetchImpl: Fetch = fetch): ChatModel {
  const url = 'https://api.openai.com/v1/chat/completions';
  const headers = { authorization: `Bearer ${apiKey}` };
  return {
    async next(messages: readonly Message[], tools: readonly ToolSpec[]): Promise<ModelTurn> {
      const wire = messages.map((message, index) => {
        if (message.role === 'assistant' && message.toolCall) {
          const { name, arguments: args } = message.toolCall;
          return {
            role: 'assistant',
            content: message.content || null,
            tool_calls: [
              { id: callId(index), type: 'function', function: { name, arguments: JSON.stringify(args) } },
            ],
          };
        }
        if (message.role === 'tool')
          return { role: 'tool', tool_call_id: callId(index - 1), content: message.content };
        return { role: message.role, content: message.content };
      });
      const json = await postJson(fetchImpl, url, headers, {
        model,
        messages: wire,
        tools: tools.map((tool) => ({
          type: 'function',
          function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
        })),
        parallel_tool_calls: false,
      });
      const choice = json.choices?.[0]?.message;
      const call = choice?.tool_calls?.[0];
      if (call)
        return { toolCall: { name: call.function.name, arguments: JSON.parse(call.function.arguments) } };
      return { text: String(choice?.content ?? '') };
    },
    async complete(prompt: string): Promise<string> {
      const json = await postJson(fetchImpl, url, headers, {
        model,
        messages: [{ role: 'user', content: prompt }],
      });
      return String(json.choices?.[0]?.message?.content ?? '');
    },
  };
}

export function anthropicModel(
  apiKey: string,
  model = 'claude-sonnet-4-5',
  fetchImpl: Fetch = fetch,
): ChatModel {
  const url = 'https://api.anthropic.com/v1/messages';
  const headers = { 'x-api-key': apiKey, 'anthropic-version': '2023-06-01' };
  return {
    async next(messages: readonly Message[], tools: readonly ToolSpec[]): Promise<ModelTurn> {
      const system = messages
        .filter((m) => m.role === 'system')
        .map((m) => m.content)
        .join('\n\n');
      const wire = messages.flatMap((message, index): Array<Record<string, unknown>> => {
        if (message.role === 'system') return [];
        if (message.role === 'assistant' && message.toolCall) {
          return [
            {
              role: 'assistant',
              content: [
                ...(message.content ? [{ type: 'text', text: message.content }] : []),
                {
                  type: 'tool_use',
                  id: callId(index),
                  name: message.toolCall.name,
                  input: message.toolCall.arguments,
                },
              ],
            },
          ];
        }
        if (message.role === 'tool') {
          return [
            {
              role: 'user',
              content: [{ type: 'tool_result', tool_use_id: callId(index - 1), content: message.content }],
            },
          ];
        }
        return [{ role: message.role, content: message.content }];
      });
      const json = await postJson(fetchImpl, url, headers, {
        model,
        max_tokens: 4096,
        system,
        messages: wire,
        tools: tools.map((tool) => ({
          name: tool.name,
          description: tool.description,
          input_schema: tool.inputSchema,
        })),
      });
      const blocks = (json.content ?? []) as Array<Record<string, any>>;
      const use = blocks.find((block) => block.type === 'tool_use');
      if (use) return { toolCall: { name: use.name, arguments: use.input } };
      return {
        text: blocks
          .filter((b) => b.type === 'text')
          .map((b) => b.text)
          .join(''),
      };
    },
    async complete(prompt: string): Promise<string> {
      const json = await postJson(fetchImpl, url, headers, {
        model,
        max_tokens: 1024,
        messages: [{ role: 'user', content: prompt }],
      });
      return ((json.content ?? []) as Array<Record<string, any>>)
        .filter((b) => b.type === 'text')
        .map((b) => b.text)
        .join('');
    },
  };
}

/** The real model the environment provides, or undefined (then the scripted model is used). */
export function realModelFromEnv(env: NodeJS.ProcessEnv = process.env): ChatModel | undefined {
  if (env.OPENAI_API_KEY) return openAIModel(env.OPENAI_API_KEY, env.OPENAI_MODEL);
  if (env.ANTHROPIC_API_KEY) return anthropicModel(env.ANTHROPIC_API_KEY, env.ANTHROPIC_MODEL);
  return undefined;
}
