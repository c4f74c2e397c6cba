import { ErrorCode, RateLimitError } from '@agent-tool-protocol/protocol';
import type { Consume, RateLimiters } from './rate-limiters.js';

export interface InitRateLimits {
  /** `init` calls accepted per minute from all addresses together. */
  maxInitsPerMinute: number;
  /** `init` calls accepted per minute from one client address. */
  maxInitsPerMinutePerIp: number;
}

/**
 * The limits on `init` (which needs no token): per client address and in total, per minute, counted
 * before the auth provider runs (failed attempts count too). Over either: a RateLimitError (429 with
 * Retry-After). Calls without an address (in-process) count only against the total.
 */
export class InitRateLimit {
  private readonly perAddress: Consume;
  private readonly total: Consume;

  constructor(
    private readonly limits: InitRateLimits,
    limiters: RateLimiters,
  ) {
    this.perAddress = limiters.create({
      name: 'init-ip',
      points: limits.maxInitsPerMinutePerIp,
      windowSeconds: 60,
    });
    this.total = limiters.create({ name: 'init-all', points: limits.maxInitsPerMinute, windowSeconds: 60 });
  }

  async consume(address: string | undefined): Promise<void> {
    if (address !== undefined) {
      const refused = await this.perAddress(address);
      if (refused) {
        throw new RateLimitError(
          `This address made ${this.limits.maxInitsPerMinutePerIp} init calls this minute (clientInit.maxInitsPerMinutePerIp is ${this.limits.maxInitsPerMinutePerIp}); reuse a client or retry in ${refused.retryAfterSeconds} s.`,
          refused.retryAfterSeconds,
          ErrorCode.RATE_LIMITED,
        );
      }
    }
    const refused = await this.total('all');
    if (refused) {
      throw new RateLimitError(
        `The server accepts at most ${this.limits.maxInitsPerMinute} init calls per minute (clientInit.maxInitsPerMinute); retry in ${refused.retryAfterSeconds} s.`,
        refused.retryAfterSeconds,
        ErrorCode.RATE_LIMITED,
      );
    }
  }
}
