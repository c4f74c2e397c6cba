// The deterministic stand-in for an LLM. It decides only from what is in its context: on the
// tool-calling path from the tool results it has been shown, on the ATP path from the execute result.
// Per-item judgement (`judge`) is the same function on both paths.
import type { ChatModel, Exchange, Message, ModelTurn, Scenario, ToolSpec } from './types.ts';

export const EXECUTE_TOOL = 'execute_code';

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The tool calls of a conversation paired with the results that followed them. */
export function exchangesFrom(messages: readonly Message[]): Exchange[] {
  const exchanges: Exchange[] = [];
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    const reply = messages[i + 1];
    if (message.role === 'assistant' && message.toolCall && reply?.role === 'tool') {
      exchanges.push({
        name: message.toolCall.name,
        args: message.toolCall.arguments,
        result: parse(reply.content),
      });
    }
  }
  return exchanges;
}

export class ScriptedModel implements ChatModel {
  private readonly scenario: Scenario;

  constructor(scenario: Scenario) {
    this.scenario = scenario;
  }

  async next(messages: readonly Message[], tools: readonly ToolSpec[]): Promise<ModelTurn> {
    const exchanges = exchangesFrom(messages);
    if (tools.some((tool) => tool.name === EXECUTE_TOOL)) {
      const last = exchanges.at(-1);
      if (!last) return { toolCall: { name: EXECUTE_TOOL, arguments: { code: this.scenario.atpCode } } };
      const outcome = last.result as { status?: string; result?: unknown; error?: unknown };
      return {
        text: JSON.stringify(outcome.status === 'completed' ? outcome.result : { executionFailed: outcome }),
      };
    }
    const step = this.scenario.baselineStep(exchanges);
    return 'answer' in step ? { text: JSON.stringify(step.answer) } : { toolCall: step };
  }

  async complete(prompt: string): Promise<string> {
    return this.scenario.judge(prompt);
  }
}
