import { MeteredModel } from '../src/scenarios/metered-model.ts';
import { cachedCostUsd, costUsd, DEFAULT_PRICE } from '../src/scenarios/pricing.ts';
import { PromptCache } from '../src/scenarios/prompt-cache.ts';
import type { ChatModel, Message } from '../src/scenarios/types.ts';

const block = (key: string, tokens: number) => ({ key, tokens });

describe('prompt cache model', () => {
  it('stores a cacheable request and reads it back as the prefix of a longer one', () => {
    const cache = new PromptCache(1024);
    const first = [block('tools', 1000), block('system', 300)];
    expect(cache.request(first, true)).toEqual({ readTokens: 0, writeTokens: 1300, uncachedTokens: 0 });
    expect(cache.request([...first, block('turn', 200)], true)).toEqual({
      readTokens: 1300,
      writeTokens: 200,
      uncachedTokens: 0,
    });
    // A one-shot request reads what is cached and pays the rest as plain input, storing nothing.
    expect(cache.request([...first, block('other', 50)], false)).toEqual({
      readTokens: 1300,
      writeTokens: 0,
      uncachedTokens: 50,
    });
    expect(cache.request([...first, block('other', 50), block('more', 10)], false).readTokens).toBe(1300);
  });

  it('caches nothing shorter than the minimum and matches prefixes block by block from the start', () => {
    const cache = new PromptCache(1024);
    expect(cache.request([block('a', 500)], true)).toEqual({
      readTokens: 0,
      writeTokens: 0,
      uncachedTokens: 500,
    });
    expect(cache.request([block('a', 500), block('b', 600)], true).readTokens).toBe(0);
    // Same blocks in another order, or a changed first block: no shared prefix.
    expect(cache.request([block('b', 600), block('a', 500)], false).readTokens).toBe(0);
    expect(cache.request([block('x', 500), block('b', 600)], false).readTokens).toBe(0);
    expect(cache.request([block('a', 500), block('b', 600), block('c', 1)], false).readTokens).toBe(1100);
  });

  it('prices reads at 0.1×, writes at 1.25× and the rest at the input price', () => {
    const usage = {
      llmCalls: 2,
      agentTurns: 2,
      sandboxCalls: 0,
      inputTokens: 1_000_000,
      outputTokens: 100_000,
      peakInputTokens: 600_000,
      cacheReadTokens: 400_000,
      cacheWriteTokens: 500_000,
    };
    expect(costUsd(usage, DEFAULT_PRICE)).toBeCloseTo(3 + 1.5, 10);
    // 100k plain + 400k × 0.1 + 500k × 1.25 = 765k input-price tokens.
    expect(cachedCostUsd(usage, DEFAULT_PRICE)).toBeCloseTo(0.765 * 3 + 1.5, 10);
  });
});

describe('metered model', () => {
  const echo: ChatModel = {
    next: async (messages) => ({ text: String(messages.length) }),
    complete: async (prompt) => prompt,
  };

  it('reads each agent turn’s predecessor from the cache, but not one-shot prompts', async () => {
    const model = new MeteredModel(echo, { latencyMs: 0, minCacheableTokens: 50 });
    const long = 'word '.repeat(100);
    const messages: Message[] = [
      { role: 'system', content: long },
      { role: 'user', content: 'task' },
    ];
    await model.next(messages, [], { parallelToolCalls: false });
    const firstTurn = model.usage.inputTokens;
    expect(model.usage.cacheWriteTokens).toBe(firstTurn);
    messages.push({ role: 'assistant', content: 'more' });
    await model.next(messages, [], { parallelToolCalls: false });
    expect(model.usage.cacheReadTokens).toBe(firstTurn);
    await model.complete(long);
    await model.complete(long);
    expect(model.usage).toMatchObject({
      llmCalls: 4,
      agentTurns: 2,
      sandboxCalls: 2,
      cacheReadTokens: firstTurn,
    });
    expect(
      model.usage.inputTokens - model.usage.cacheReadTokens - model.usage.cacheWriteTokens,
    ).toBeGreaterThan(100);
  });
});
