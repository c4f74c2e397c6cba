// The deterministic stand-in for an LLM. It decides only from what is in its context: on the
// tool-calling path from the tool results it has been shown, on the ATP path from the execute result.
// Per-item judgement (`judge`) is the same function on both paths.
import type { ChatModel, Exchange, Message, ModelTurn, Scenario, ToolSpec, TurnOptions } from './types.ts';

export const EXECUTE_TOOL = 'execute_code';

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The tool calls of a conversation paired with the results that followed them (the k-th result answers the k-th call). */
export function exchangesFrom(messages: readonly Message[]): Exchange[] {
  const exchanges: Exchange[] = [];
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    if (message.role !== 'assistant' || !message.toolCalls) continue;
    message.toolCalls.forEach((call, k) => {
      const reply = messages[i + 1 + k];
      if (reply?.role === 'tool')
        exchanges.push({ name: call.name, args: call.arguments, result: parse(reply.content) });
    });
  }
  return exchanges;
}

export class ScriptedModel implements ChatModel {
  private readonly scenario: Scenario;

  constructor(scenario: Scenario) {
    this.scenario = scenario;
  }

  async next(
    messages: readonly Message[],
    tools: readonly ToolSpec[],
    options: TurnOptions,
  ): Promise<ModelTurn> {
    const exchanges = exchangesFrom(messages);
    if (tools.some((tool) => tool.name === EXECUTE_TOOL)) {
      const last = exchanges.at(-1);
      if (!last) return { toolCalls: [{ name: EXECUTE_TOOL, arguments: { code: this.scenario.atpCode } }] };
      const outcome = last.result as { status?: string; result?: unknown; error?: unknown };
      return {
        text: JSON.stringify(outcome.status === 'completed' ? outcome.result : { executionFailed: outcome }),
      };
    }
    const step = this.scenario.baselineStep(exchanges);
    if (!Array.isArray(step)) return { text: JSON.stringify(step.answer) };
    if (step.length === 0)
      throw new Error(`${this.scenario.id}: the scripted model has neither a call nor an answer.`);
    return { toolCalls: options.parallelToolCalls ? step : step.slice(0, 1) };
  }

  async complete(prompt: string): Promise<string> {
    return this.scenario.judge(prompt);
  }
}
