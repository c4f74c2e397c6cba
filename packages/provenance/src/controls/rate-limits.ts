import { compileGlob } from '../glob.js';
import type { RateLimitRule } from './rules.js';

const WINDOW_MS = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
const MAX_KEYS = 100_000;

/**
 * Per-tool call limits from the rules file. Windows are sliding, per client and tool; `execution`
 * limits count per execution. State is in process memory (one server instance).
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  /** The violated rule, or undefined (and the call is counted). */
  take(
    rules: RateLimitRule[],
    tool: string,
    clientId: string,
    executionId: string,
    now = Date.now(),
  ): RateLimitRule | undefined {
    const matching = rules.filter((rule) =>
      (Array.isArray(rule.tools) ? rule.tools : [rule.tools]).some((glob) => compileGlob(glob).test(tool)),
    );
    const keys = matching.map((rule, index) => {
      const scope = rule.per === 'execution' ? `x:${executionId}` : `c:${clientId}`;
      return `${index}|${rule.per}|${rule.max}|${scope}|${tool}`;
    });
    for (const [index, rule] of matching.entries()) {
      const stamps = this.window(keys[index]!, rule, now);
      if (stamps.length >= rule.max) return rule;
    }
    for (const key of keys) this.hits.get(key)!.push(now);
    return undefined;
  }

  private window(key: string, rule: RateLimitRule, now: number): number[] {
    let stamps = this.hits.get(key);
    if (stamps === undefined) {
      if (this.hits.size >= MAX_KEYS) this.hits.delete(this.hits.keys().next().value as string);
      stamps = [];
      this.hits.set(key, stamps);
    }
    if (rule.per !== 'execution') {
      const from = now - WINDOW_MS[rule.per];
      while (stamps.length > 0 && stamps[0]! <= from) stamps.shift();
    }
    return stamps;
  }
}
