// What the tokens cost. The default is Claude Sonnet 4.x's list price with its prompt-caching prices;
// every path of every scenario is priced by the same rules.
import type { ModelUsage } from './metered-model.ts';

/** $ per million tokens, and the provider's prompt-caching terms. */
export interface Price {
  label: string;
  inputPerMTok: number;
  outputPerMTok: number;
  /** Price of a cached input token read back, as a fraction of the input price. */
  cacheReadMultiplier: number;
  /** Price of an input token written to the cache, as a fraction of the input price. */
  cacheWriteMultiplier: number;
  /** Shortest prefix the provider caches, in tokens. */
  minCacheableTokens: number;
}

export const DEFAULT_PRICE: Price = {
  label:
    'Claude Sonnet 4.x list prices: $3 / Mtok input, $15 / Mtok output; prompt caching: cache reads $0.30 / Mtok (0.1×), 5-minute cache writes $3.75 / Mtok (1.25×), prefixes of 1,024 tokens or more',
  inputPerMTok: 3,
  outputPerMTok: 15,
  cacheReadMultiplier: 0.1,
  cacheWriteMultiplier: 1.25,
  minCacheableTokens: 1024,
};

/** Every input token at the plain input price (no prompt caching). */
export function costUsd(
  usage: Pick<ModelUsage, 'inputTokens' | 'outputTokens'>,
  price: Price = DEFAULT_PRICE,
): number {
  return (usage.inputTokens * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1_000_000;
}

/** With prompt caching: cache reads and writes at their prices, the rest of the input at the plain price. */
export function cachedCostUsd(usage: ModelUsage, price: Price = DEFAULT_PRICE): number {
  const plain = usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens;
  const input =
    plain +
    usage.cacheReadTokens * price.cacheReadMultiplier +
    usage.cacheWriteTokens * price.cacheWriteMultiplier;
  return (input * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1_000_000;
}
