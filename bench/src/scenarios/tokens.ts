// Token counting with gpt-tokenizer (o200k_base, GPT-4o-class). Every message is rendered to the
// text a model receives and counted once; a request is its tool definitions followed by its messages.
import { countTokens } from 'gpt-tokenizer';
import { blockKey, type PromptBlock } from './prompt-cache.ts';
import type { Message, ToolCall, ToolSpec } from './types.ts';

/** The text of the tool calls of one assistant turn (also what the model outputs for them). */
export function renderToolCalls(calls: readonly ToolCall[]): string {
  return calls.map((call) => JSON.stringify({ tool: call.name, arguments: call.arguments })).join('\n');
}

export function renderMessage(message: Message): string {
  if (message.role === 'assistant' && message.toolCalls) {
    return `assistant: ${message.content}${renderToolCalls(message.toolCalls)}`;
  }
  if (message.role === 'tool') return `tool ${message.toolName}: ${message.content}`;
  return `${message.role}: ${message.content}`;
}

export function renderTools(tools: readonly ToolSpec[]): string {
  return JSON.stringify(
    tools.map(({ name, description, inputSchema }) => ({ name, description, inputSchema })),
  );
}

const messageBlocks = new WeakMap<Message, PromptBlock>();
const toolBlocks = new WeakMap<readonly ToolSpec[], PromptBlock>();

function blockOf(text: string): PromptBlock {
  return { key: blockKey(text), tokens: countTokens(text) };
}

export function tokensOf(text: string): number {
  return countTokens(text);
}

/** The blocks of one request, in the order a provider caches them: tool definitions, then messages. */
export function requestBlocks(messages: readonly Message[], tools: readonly ToolSpec[]): PromptBlock[] {
  const blocks: PromptBlock[] = [];
  if (tools.length > 0) {
    let block = toolBlocks.get(tools);
    if (block === undefined) {
      block = blockOf(renderTools(tools));
      toolBlocks.set(tools, block);
    }
    blocks.push(block);
  }
  for (const message of messages) {
    let block = messageBlocks.get(message);
    if (block === undefined) {
      block = blockOf(renderMessage(message));
      messageBlocks.set(message, block);
    }
    blocks.push(block);
  }
  return blocks;
}

/** Tokens of one request: every message of the context plus the tool definitions sent with it. */
export function requestTokens(messages: readonly Message[], tools: readonly ToolSpec[]): number {
  return requestBlocks(messages, tools).reduce((sum, block) => sum + block.tokens, 0);
}
