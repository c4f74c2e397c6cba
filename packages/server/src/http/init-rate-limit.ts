import { ErrorCode, RateLimitError } from '@agent-tool-protocol/protocol';
import type { NextFunction, Request, Response } from 'express';

export interface InitRateLimits {
  /** `init` calls accepted per minute from all addresses together. */
  maxInitsPerMinute: number;
  /** `init` calls accepted per minute from one remote address. */
  maxInitsPerMinutePerIp: number;
}

const WINDOW_MS = 60_000;
/** Addresses remembered per window; beyond it every new address shares one bucket (still bounded). */
const MAX_TRACKED_ADDRESSES = 50_000;

/**
 * Fixed one-minute windows, counted on the socket's address (not X-Forwarded-For, which a client
 * could forge to get a fresh bucket per request). Over either limit: 429 with Retry-After.
 */
export function initRateLimit(limits: InitRateLimits) {
  let windowStart = Date.now();
  let total = 0;
  const perAddress = new Map<string, number>();
  return (req: Request, _res: Response, next: NextFunction) => {
    const now = Date.now();
    if (now - windowStart >= WINDOW_MS) {
      windowStart = now;
      total = 0;
      perAddress.clear();
    }
    const retryAfter = Math.max(1, Math.ceil((windowStart + WINDOW_MS - now) / 1000));
    const known = req.socket.remoteAddress ?? 'unknown';
    const address = perAddress.has(known) || perAddress.size < MAX_TRACKED_ADDRESSES ? known : 'overflow';
    const mine = perAddress.get(address) ?? 0;
    if (total >= limits.maxInitsPerMinute) {
      throw new RateLimitError(
        `The server accepts at most ${limits.maxInitsPerMinute} init calls per minute (clientInit.maxInitsPerMinute); retry in ${retryAfter} s.`,
        retryAfter,
        ErrorCode.RATE_LIMITED,
      );
    }
    if (mine >= limits.maxInitsPerMinutePerIp) {
      throw new RateLimitError(
        `This address made ${mine} init calls this minute (clientInit.maxInitsPerMinutePerIp is ${limits.maxInitsPerMinutePerIp}); reuse a client or retry in ${retryAfter} s.`,
        retryAfter,
        ErrorCode.RATE_LIMITED,
      );
    }
    total++;
    perAddress.set(address, mine + 1);
    next();
  };
}
