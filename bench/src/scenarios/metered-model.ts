// Wraps a ChatModel: counts every call and the tokens actually sent and received, splits each request's
// input into cache reads, cache writes and plain input (prompt-cache.ts), and adds a fixed latency per
// call (calls made concurrently wait concurrently, as they would against an API).
import { blockKey, type CacheOutcome, PromptCache } from './prompt-cache.ts';
import { renderToolCalls, requestBlocks, tokensOf } from './tokens.ts';
import type { ChatModel, Message, ModelTurn, ToolSpec, TurnOptions } from './types.ts';

export interface ModelUsage {
  /** Every request to the model: agent-loop turns plus `atp.llm.*` calls from the sandbox. */
  llmCalls: number;
  agentTurns: number;
  sandboxCalls: number;
  inputTokens: number;
  outputTokens: number;
  /** The largest single request (its context). */
  peakInputTokens: number;
  /** Input tokens read from the prompt cache (a prefix an earlier request stored). */
  cacheReadTokens: number;
  /** Input tokens stored in the prompt cache (agent-loop turns: the next turn repeats them). */
  cacheWriteTokens: number;
}

export interface MeteredModelOptions {
  /** Added to every call, in ms. */
  latencyMs: number;
  /** Shortest prefix the provider caches, in tokens. */
  minCacheableTokens: number;
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

  private readonly inner: ChatModel;
  private readonly latencyMs: number;
  private readonly cache: PromptCache;

  constructor(inner: ChatModel, options: MeteredModelOptions) {
    this.inner = inner;
    this.latencyMs = options.latencyMs;
    this.cache = new PromptCache(options.minCacheableTokens);
  }

  async next(
    messages: readonly Message[],
    tools: readonly ToolSpec[],
    options: TurnOptions,
  ): Promise<ModelTurn> {
    // An agent loop's next request repeats this one, so it is sent with a cache breakpoint.
    this.record(this.cache.request(requestBlocks(messages, tools), true));
    this.usage.agentTurns++;
    const [turn] = await Promise.all([this.inner.next(messages, tools, options), this.delay()]);
    this.usage.outputTokens += tokensOf(turn.toolCalls ? renderToolCalls(turn.toolCalls) : turn.text);
    return turn;
  }

  async complete(prompt: string): Promise<string> {
    // A one-shot prompt: nothing repeats it, so it is sent without a breakpoint (it still reads a cached prefix).
    const text = `user: ${prompt}`;
    this.record(this.cache.request([{ key: blockKey(text), tokens: tokensOf(text) }], false));
    this.usage.sandboxCalls++;
    const [answer] = await Promise.all([this.inner.complete(prompt), this.delay()]);
    this.usage.outputTokens += tokensOf(answer);
    return answer;
  }

  private record(outcome: CacheOutcome): void {
    const inputTokens = outcome.readTokens + outcome.writeTokens + outcome.uncachedTokens;
    this.usage.llmCalls++;
    this.usage.inputTokens += inputTokens;
    this.usage.peakInputTokens = Math.max(this.usage.peakInputTokens, inputTokens);
    this.usage.cacheReadTokens += outcome.readTokens;
    this.usage.cacheWriteTokens += outcome.writeTokens;
  }

  private delay(): Promise<void> {
    return this.latencyMs > 0
      ? new Promise((resolve) => setTimeout(resolve, this.latencyMs))
      : Promise.resolve();
  }
}
