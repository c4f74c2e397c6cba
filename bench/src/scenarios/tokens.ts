// Token counting with gpt-tokenizer (o200k_base, GPT-4o-class). Every message is rendered to the
// text a model receives and counted once; a request's size is the sum of its messages and tools.
import { countTokens } from 'gpt-tokenizer';
import type { Message, ToolSpec } from './types.ts';

export function renderMessage(message: Message): string {
  if (message.role === 'assistant' && message.toolCall) {
    return `assistant: ${message.content}${JSON.stringify({ tool: message.toolCall.name, arguments: message.toolCall.arguments })}`;
  }
  if (message.role === 'tool') return `tool ${message.toolName}: ${message.content}`;
  return `${message.role}: ${message.content}`;
}

export function renderTools(tools: readonly ToolSpec[]): string {
  return JSON.stringify(
    tools.map(({ name, description, inputSchema }) => ({ name, description, inputSchema })),
  );
}

const messageTokens = new WeakMap<Message, number>();
const toolTokens = new WeakMap<readonly ToolSpec[], number>();

export function tokensOf(text: string): number {
  return countTokens(text);
}

/** Tokens of one request: every message of the context plus the tool definitions sent with it. */
export function requestTokens(messages: readonly Message[], tools: readonly ToolSpec[]): number {
  let total = 0;
  for (const message of messages) {
    let count = messageTokens.get(message);
    if (count === undefined) {
      count = countTokens(renderMessage(message));
      messageTokens.set(message, count);
    }
    total += count;
  }
  if (tools.length > 0) {
    let count = toolTokens.get(tools);
    if (count === undefined) {
      count = countTokens(renderTools(tools));
      toolTokens.set(tools, count);
    }
    total += count;
  }
  return total;
}
