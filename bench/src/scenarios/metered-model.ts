// Wraps a ChatModel: counts every call and the tokens actually sent and received, and adds a fixed
// latency per call (calls made concurrently wait concurrently, as they would against an API).
import { requestTokens, tokensOf } from './tokens.ts';
import type { ChatModel, Message, ModelTurn, ToolSpec } from './types.ts';

export interface ModelUsage {
  /** Every request to the model: agent-loop turns plus `atp.llm.*` calls from the sandbox. */
  llmCalls: number;
  agentTurns: number;
  sandboxCalls: number;
  inputTokens: number;
  outputTokens: number;
  /** The largest single request (its context). */
  peakInputTokens: number;
  /**
   * With prompt caching: agent-loop input that repeats the previous turn's request (the conversation
   * only grows, so that request is a prefix of the next) is read from the cache; the rest is written.
   */
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export class MeteredModel implements ChatModel {
  readonly usage: ModelUsage = {
    llmCalls: 0,
    agentTurns: 0,
    sandboxCalls: 0,
    inputTokens: 0,
    outputTokens: 0,
    peakInputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
  };
  private previousTurnTokens = 0;

  private readonly inner: ChatModel;
  private readonly latencyMs: number;

  constructor(inner: ChatModel, latencyMs: number) {
    this.inner = inner;
    this.latencyMs = latencyMs;
  }

  async next(messages: readonly Message[], tools: readonly ToolSpec[]): Promise<ModelTurn> {
    const inputTokens = requestTokens(messages, tools);
    this.record(inputTokens);
    const cached = Math.min(this.previousTurnTokens, inputTokens);
    this.usage.cacheReadTokens += cached;
    this.usage.cacheWriteTokens += inputTokens - cached;
    this.previousTurnTokens = inputTokens;
    this.usage.agentTurns++;
    const [turn] = await Promise.all([this.inner.next(messages, tools), this.delay()]);
    this.usage.outputTokens += tokensOf(
      turn.toolCall
        ? JSON.stringify({ tool: turn.toolCall.name, arguments: turn.toolCall.arguments })
        : turn.text,
    );
    return turn;
  }

  async complete(prompt: string): Promise<string> {
    this.record(tokensOf(`user: ${prompt}`));
    this.usage.sandboxCalls++;
    const [text] = await Promise.all([this.inner.complete(prompt), this.delay()]);
    this.usage.outputTokens += tokensOf(text);
    return text;
  }

  private record(inputTokens: number): void {
    this.usage.llmCalls++;
    this.usage.inputTokens += inputTokens;
    this.usage.peakInputTokens = Math.max(this.usage.peakInputTokens, inputTokens);
  }

  private delay(): Promise<void> {
    return this.latencyMs > 0
      ? new Promise((resolve) => setTimeout(resolve, this.latencyMs))
      : Promise.resolve();
  }
}
