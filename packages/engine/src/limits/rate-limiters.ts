import type { CacheProvider } from '@agent-tool-protocol/protocol';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';

/** A store that can lend its Redis client (RedisCache from `@agent-tool-protocol/providers` does). */
interface RedisBacked {
  redisClient(): Promise<unknown>;
  readonly keyPrefix: string;
}

function redisBacked(store: CacheProvider): RedisBacked | undefined {
  const candidate = store as Partial<RedisBacked>;
  return typeof candidate.redisClient === 'function' && typeof candidate.keyPrefix === 'string'
    ? (candidate as RedisBacked)
    : undefined;
}

export interface WindowLimit {
  /** Points (calls) per window. */
  points: number;
  windowSeconds: number;
  /** Distinguishes this limiter's keys, e.g. `init-ip`. */
  name: string;
}

/** A refused call: how long until the window has room again. */
export interface Refusal {
  retryAfterSeconds: number;
}

/** Takes one point for `key`; resolves with a Refusal when the window is full, else undefined. */
export type Consume = (key: string) => Promise<Refusal | undefined>;

/**
 * Fixed-window limiters from rate-limiter-flexible: in Redis when the system store is a RedisCache (so a
 * limit holds across every instance sharing it, with an in-memory limiter standing in while Redis is
 * unreachable), in memory otherwise.
 */
export class RateLimiters {
  private readonly redis: Promise<{ client: unknown; prefix: string } | undefined>;

  constructor(store: CacheProvider) {
    const backed = redisBacked(store);
    this.redis = backed
      ? backed.redisClient().then(
          (client) => ({ client, prefix: backed.keyPrefix }),
          () => undefined,
        )
      : Promise.resolve(undefined);
    this.redis.catch(() => undefined);
  }

  /** A limiter: `consume(key)` resolves with a Refusal when over the limit, else undefined. */
  create(limit: WindowLimit): Consume {
    const limiter = this.redis.then((redis) => this.build(limit, redis));
    return async (key) => {
      try {
        await (await limiter).consume(key);
        return undefined;
      } catch (rejection) {
        // Anything but a RateLimiterRes is a store failure even the insurance limiter could not absorb.
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        return { retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
      }
    };
  }

  private build(
    limit: WindowLimit,
    redis: { client: unknown; prefix: string } | undefined,
  ): RateLimiterAbstract {
    const keyPrefix = `atp:ratelimit:${limit.name}`;
    const memory = new RateLimiterMemory({ points: limit.points, duration: limit.windowSeconds, keyPrefix });
    if (!redis) return memory;
    return new RateLimiterRedis({
      storeClient: redis.client,
      points: limit.points,
      duration: limit.windowSeconds,
      keyPrefix: `${redis.prefix}${keyPrefix}`,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  }
}
