import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';

export interface SessionRateLimits {
  /** New MCP sessions (initialize requests) accepted per minute from all addresses together. */
  maxInitsPerMinute: number;
  /** New MCP sessions accepted per minute from one client address. */
  maxInitsPerMinutePerIp: number;
  /** An ioredis (or node-redis) client: the counts then live in Redis and hold across instances. */
  redis?: unknown;
  /** Prefix of the Redis keys. */
  keyPrefix: string;
}

export interface RateLimitRefusal {
  message: string;
  retryAfterSeconds: number;
}

/** Consumes one new-session point for an address; resolves with a refusal when over a limit. */
export type SessionRateLimiter = (address: string) => Promise<RateLimitRefusal | undefined>;

const WINDOW_SECONDS = 60;

function limiter(points: number, keyPrefix: string, redis: unknown): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ points, duration: WINDOW_SECONDS, keyPrefix });
  if (redis === undefined) return memory;
  // While Redis is unreachable the instance counts in memory instead of refusing everyone (or no one).
  return new RateLimiterRedis({
    storeClient: redis,
    points,
    duration: WINDOW_SECONDS,
    keyPrefix,
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
}

/**
 * The `/api/init`-like limit on new MCP sessions, with rate-limiter-flexible (fixed one-minute windows,
 * in memory or in Redis). Counted before authentication, so failed attempts count too.
 */
export function createSessionRateLimiter(limits: SessionRateLimits): SessionRateLimiter {
  const perAddress = limiter(limits.maxInitsPerMinutePerIp, `${limits.keyPrefix}:ip`, limits.redis);
  const total = limiter(limits.maxInitsPerMinute, `${limits.keyPrefix}:all`, limits.redis);
  return async (address) => {
    try {
      await perAddress.consume(address);
    } catch (rejection) {
      return refusal(
        rejection,
        `This address opened ${limits.maxInitsPerMinutePerIp} MCP sessions this minute (maxInitsPerMinutePerIp); reuse a session or retry in`,
      );
    }
    try {
      await total.consume('all');
    } catch (rejection) {
      return refusal(
        rejection,
        `The server accepts at most ${limits.maxInitsPerMinute} new MCP sessions per minute (maxInitsPerMinute); retry in`,
      );
    }
    return undefined;
  };
}

function refusal(rejection: unknown, sentence: string): RateLimitRefusal {
  // Anything but a RateLimiterRes is a store failure that even the insurance limiter could not absorb.
  if (!(rejection instanceof RateLimiterRes)) throw rejection;
  const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
  return { message: `${sentence} ${retryAfterSeconds} s.`, retryAfterSeconds };
}
