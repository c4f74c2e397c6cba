import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import type { StructuredToolInterface } from '@langchain/core/tools';

export type ScriptStep = (messages: BaseMessage[]) => AIMessage;

/**
 * A fake tool-calling chat model: each `invoke` plays the next step of a script, which sees the
 * conversation so far (so it can echo tool results) and may answer with tool calls.
 */
export class ScriptedToolCallingModel extends BaseChatModel {
  boundTools: string[] = [];
  readonly seen: BaseMessage[][] = [];
  private step = 0;

  constructor(private readonly script: ScriptStep[]) {
    super({});
  }

  _llmType(): string {
    return 'scripted-tool-calling';
  }

  override bindTools(tools: StructuredToolInterface[]) {
    this.boundTools = tools.map((tool) => tool.name);
    return this as any;
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    this.seen.push(messages);
    const next = this.script[this.step++];
    if (!next) throw new Error(`The script has only ${this.script.length} steps.`);
    const message = next(messages);
    return { generations: [{ message, text: typeof message.content === 'string' ? message.content : '' }] };
  }
}

export function toolCall(name: string, args: Record<string, unknown>, id = `call_${name}`): AIMessage {
  return new AIMessage({ content: '', tool_calls: [{ id, name, args, type: 'tool_call' }] });
}
