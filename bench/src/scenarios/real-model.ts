// A real model instead of the scripted one, when OPENAI_API_KEY or ANTHROPIC_API_KEY is set
// (ATP_SCENARIOS_MODEL=real). Native tool calling on both APIs. Not exercised offline: the smoke test
// and the recorded numbers use the scripted model.
import type { ChatModel, Message, ModelTurn, ToolSpec, TurnOptions } from './types.ts';

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

/** Tool calls get ids from their message's position and their own; the tool messages after them answer in order. */
const callId = (messageIndex: number, callIndex: number) => `call_${messageIndex}_${callIndex}`;

/** For each tool message, the id of the call it answers (the k-th tool message after a turn answers its k-th call). */
function answeredIds(messages: readonly Message[]): Map<number, string> {
  const ids = new Map<number, string>();
  messages.forEach((message, index) => {
    if (message.role !== 'assistant' || !message.toolCalls) return;
    message.toolCalls.forEach((_call, k) => {
      if (messages[index + 1 + k]?.role === 'tool') ids.set(index + 1 + k, callId(index, k));
    });
  });
  return ids;
}

export function openAIModel(apiKey: string, model = 'gpt-4.1-mini', fetchImpl: Fetch = fetch): ChatModel {
  const url = 'https://api.openai.com/v1/chat/completions';
  const headers = { authorization: `Bearer ${apiKey}` };
  return {
    async next(
      messages: readonly Message[],
      tools: readonly ToolSpec[],
      options: TurnOptions,
    ): Promise<ModelTurn> {
      const answers = answeredIds(messages);
      const wire = messages.map((message, index) => {
        if (message.role === 'assistant' && message.toolCalls) {
          return {
            role: 'assistant',
            content: message.content || null,
            tool_calls: message.toolCalls.map(({ name, arguments: args }, k) => ({
              id: callId(index, k),
              type: 'function',
              function: { name, arguments: JSON.stringify(args) },
            })),
          };
        }
        if (message.role === 'tool')
          return { role: 'tool', tool_call_id: answers.get(index), content: message.content };
        return { role: message.role, content: message.content };
      });
      const json = await postJson(fetchImpl, url, headers, {
        model,
        messages: wire,
        tools: tools.map((tool) => ({
          type: 'function',
          function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
        })),
        parallel_tool_calls: options.parallelToolCalls,
      });
      const choice = json.choices?.[0]?.message;
      const calls = (choice?.tool_calls ?? []) as Array<{ function: { name: string; arguments: string } }>;
      if (calls.length > 0)
        return {
          toolCalls: calls.map((call) => ({
            name: call.function.name,
            arguments: JSON.parse(call.function.arguments),
          })),
        };
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
    async next(
      messages: readonly Message[],
      tools: readonly ToolSpec[],
      options: TurnOptions,
    ): Promise<ModelTurn> {
      const system = messages
        .filter((m) => m.role === 'system')
        .map((m) => m.content)
        .join('\n\n');
      const answers = answeredIds(messages);
      const wire: Array<{ role: string; content: unknown }> = [];
      messages.forEach((message, index) => {
        if (message.role === 'system') return;
        if (message.role === 'assistant' && message.toolCalls) {
          wire.push({
            role: 'assistant',
            content: [
              ...(message.content ? [{ type: 'text', text: message.content }] : []),
              ...message.toolCalls.map((call, k) => ({
                type: 'tool_use',
                id: callId(index, k),
                name: call.name,
                input: call.arguments,
              })),
            ],
          });
          return;
        }
        if (message.role === 'tool') {
          // All results of one turn go back in one user message.
          const result = { type: 'tool_result', tool_use_id: answers.get(index), content: message.content };
          const previous = wire.at(-1);
          if (messages[index - 1]?.role === 'tool' && previous && Array.isArray(previous.content))
            previous.content.push(result);
          else wire.push({ role: 'user', content: [result] });
          return;
        }
        wire.push({ role: message.role, content: message.content });
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
        tool_choice: { type: 'auto', disable_parallel_tool_use: !options.parallelToolCalls },
      });
      const blocks = (json.content ?? []) as Array<Record<string, any>>;
      const uses = blocks.filter((block) => block.type === 'tool_use');
      if (uses.length > 0)
        return { toolCalls: uses.map((use) => ({ name: use.name, arguments: use.input })) };
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
