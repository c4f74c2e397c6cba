// A model of provider prompt caching, applied to every request a path sends. A request is a sequence of
// blocks (the tool definitions, then each message). A request marked cacheable stores its whole prefix
// in the cache (a cache breakpoint on its last block); a later request that starts with a stored prefix
// reads that part from the cache and pays the rest as a cache write (if cacheable) or plain input.
// Prefixes shorter than the provider's minimum are never cached. The cache entries' lifetime (minutes)
// is longer than any run here, so nothing expires.
import { createHash } from 'node:crypto';

export interface PromptBlock {
  /** Identifies the block's exact content (equal keys: equal text). */
  key: string;
  tokens: number;
}

export interface CacheOutcome {
  /** Input tokens read from the cache. */
  readTokens: number;
  /** Input tokens written to the cache (priced as cache writes). */
  writeTokens: number;
  /** Input tokens neither read nor written (priced as plain input). */
  uncachedTokens: number;
}

export class PromptCache {
  /** Chained prefix key → prefix length in tokens. */
  private readonly stored = new Map<string, number>();
  private readonly minTokens: number;

  constructor(minTokens: number) {
    this.minTokens = minTokens;
  }

  /** Records one request and returns how its input tokens split into read, written and uncached. */
  request(blocks: readonly PromptBlock[], cacheable: boolean): CacheOutcome {
    let chain = '';
    let total = 0;
    let readTokens = 0;
    for (const block of blocks) {
      chain = createHash('sha1').update(chain).update('\u0000').update(block.key).digest('hex');
      total += block.tokens;
      const hit = this.stored.get(chain);
      if (hit !== undefined) readTokens = hit;
    }
    const rest = total - readTokens;
    if (cacheable && total >= this.minTokens) {
      this.stored.set(chain, total);
      return { readTokens, writeTokens: rest, uncachedTokens: 0 };
    }
    return { readTokens, writeTokens: 0, uncachedTokens: rest };
  }
}

/** A block key for a text: its hash, so that equal texts get equal keys. */
export function blockKey(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
