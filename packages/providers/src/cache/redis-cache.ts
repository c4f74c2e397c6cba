import {
  type CacheMemoryPolicy,
  type CacheProvider,
  isATPError,
  type Logger,
  ProviderError,
  parseOrThrow,
  silentLogger,
} from '@agent-tool-protocol/protocol';
import type { Redis, RedisOptions } from 'ioredis';
import { z } from 'zod';
import {
  createRedisClient,
  describeRedis,
  isRedisClient,
  ReadinessGate,
  type RedisSource,
} from './redis-connection.js';
import { APPEND, DELETE_IF_EQUALS, INCREMENT } from './redis-scripts.js';

export interface RedisCacheOptions {
  /**
   * An ioredis client (used as-is and left open by `close()`), or options / a `redis://` URL for a
   * client RedisCache creates, owns and configures to fail fast while Redis is down.
   */
  redis: RedisSource;
  /** Prepended to every key (e.g. `atp:`). Do not also set ioredis' own `keyPrefix`: SCAN ignores it. */
  keyPrefix?: string;
  /** TTL in seconds applied when a write gives none. Default: no expiry. */
  defaultTTL?: number;
  /** How long a command waits for the first connection to Redis. Default 5,000 ms. */
  connectTimeoutMs?: number;
  /**
   * Longest wait for any answer, whatever the client's own retry settings: a command still
   * unanswered (Redis hung, or a passed-in client holding it for a reconnect) fails with a
   * ProviderError. Default 5,000 ms.
   */
  commandTimeoutMs?: number;
  /** Keys asked for per SCAN step by `keys()`. Default 250. */
  scanCount?: number;
  logger?: Logger;
}

const OptionsSchema = z.object({
  redis: z.union([
    z.string().min(1, 'must not be empty'),
    z.custom<Redis>(isRedisClient),
    z.custom<RedisOptions>((value) => typeof value === 'object' && value !== null && !Array.isArray(value)),
  ]),
  keyPrefix: z.string().optional(),
  defaultTTL: z.number().positive().optional(),
  connectTimeoutMs: z.number().int().positive().optional(),
  commandTimeoutMs: z.number().int().positive().optional(),
  scanCount: z.number().int().positive().optional(),
  logger: z.custom<Logger>((value) => typeof value === 'object' && value !== null).optional(),
});

const NOT_A_NUMBER = /WRONGTYPE|not a valid float|not an integer/;

/**
 * A CacheProvider on Redis (ioredis), shared by every server instance. Values are stored as JSON
 * strings, lists (journals) as Redis lists of JSON strings; TTLs are kept in milliseconds so
 * fractional seconds work as in MemoryCache. Lock and journal operations are single atomic
 * commands or Lua scripts.
 */
export class RedisCache implements CacheProvider {
  readonly name = 'redis';
  private readonly client: Promise<Redis>;
  private gate: ReadinessGate | undefined;
  private readonly ownsClient: boolean;
  private readonly prefix: string;
  private readonly defaultTTL: number | undefined;
  private readonly connectTimeoutMs: number;
  private readonly commandTimeoutMs: number;
  private readonly scanCount: number;

  constructor(options: RedisCacheOptions) {
    const parsed = parseOrThrow(OptionsSchema, options, 'RedisCache options');
    const logger = parsed.logger ?? silentLogger;
    this.prefix = parsed.keyPrefix ?? '';
    this.defaultTTL = parsed.defaultTTL;
    this.connectTimeoutMs = parsed.connectTimeoutMs ?? 5_000;
    this.commandTimeoutMs = parsed.commandTimeoutMs ?? 5_000;
    this.scanCount = parsed.scanCount ?? 250;
    this.ownsClient = !isRedisClient(parsed.redis);
    this.client = isRedisClient(parsed.redis)
      ? Promise.resolve(parsed.redis)
      : createRedisClient(parsed.redis as RedisOptions | string, logger, this.commandTimeoutMs);
    // A failed ioredis import surfaces on the first command, not as an unhandled rejection here.
    this.client.catch(() => {});
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    return this.run('get', async (redis) => {
      try {
        const raw = await redis.get(this.key(key));
        return raw === null ? undefined : (decode(raw) as T);
      } catch (error) {
        if (!isWrongType(error)) throw error;
        const items = await redis.lrange(this.key(key), 0, -1);
        return items.map(decode) as T;
      }
    });
  }

  async set(key: string, value: unknown, ttlSeconds?: number): Promise<void> {
    const ttl = this.ttlMs(ttlSeconds);
    await this.run('set', (redis) =>
      ttl === undefined
        ? redis.set(this.key(key), encode(value))
        : redis.set(this.key(key), encode(value), 'PX', ttl),
    );
  }

  async delete(key: string): Promise<boolean> {
    return this.run('delete', async (redis) => (await redis.del(this.key(key))) > 0);
  }

  async has(key: string): Promise<boolean> {
    return this.run('has', async (redis) => (await redis.exists(this.key(key))) > 0);
  }

  async setIfAbsent(key: string, value: unknown, ttlSeconds?: number): Promise<boolean> {
    const ttl = this.ttlMs(ttlSeconds);
    return this.run('setIfAbsent', async (redis) => {
      const reply =
        ttl === undefined
          ? await redis.set(this.key(key), encode(value), 'NX')
          : await redis.set(this.key(key), encode(value), 'PX', ttl, 'NX');
      return reply === 'OK';
    });
  }

  async deleteIfEquals(key: string, expected: unknown): Promise<boolean> {
    return this.run(
      'deleteIfEquals',
      async (redis) => Number(await redis.eval(DELETE_IF_EQUALS, 1, this.key(key), encode(expected))) > 0,
    );
  }

  async increment(key: string, by = 1, ttlSeconds?: number): Promise<number> {
    const ttl = this.ttlMs(ttlSeconds);
    return this.run('increment', async (redis) => {
      try {
        const reply = await redis.eval(INCREMENT, 1, this.key(key), String(by), ttl ?? '');
        return Number(reply);
      } catch (error) {
        if (error instanceof Error && NOT_A_NUMBER.test(error.message)) {
          throw new TypeError(`Cache key "${key}" does not hold a number`);
        }
        throw error;
      }
    });
  }

  async append(key: string, value: unknown, ttlSeconds?: number): Promise<number> {
    const ttl = this.ttlMs(ttlSeconds);
    return this.run('append', async (redis) => {
      try {
        return Number(await redis.eval(APPEND, 1, this.key(key), encode(value), ttl ?? ''));
      } catch (error) {
        if (isWrongType(error)) throw new TypeError(`Cache key "${key}" does not hold a list`);
        throw error;
      }
    });
  }

  async range<T = unknown>(key: string, start = 0, end = -1): Promise<T[]> {
    return this.run('range', async (redis) => {
      try {
        return (await redis.lrange(this.key(key), start, end)).map(decode) as T[];
      } catch (error) {
        if (isWrongType(error)) throw new TypeError(`Cache key "${key}" does not hold a list`);
        throw error;
      }
    });
  }

  async expire(key: string, ttlSeconds: number): Promise<boolean> {
    const ttl = this.ttlMs(ttlSeconds) ?? 1;
    return this.run('expire', async (redis) => (await redis.pexpire(this.key(key), ttl)) === 1);
  }

  /** SCAN with MATCH, never KEYS: Redis stays responsive with millions of keys. */
  async *keys(prefix: string): AsyncIterable<string> {
    const pattern = `${escapeGlob(this.prefix + prefix)}*`;
    const seen = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await this.run('keys', (redis) =>
        redis.scan(cursor, 'MATCH', pattern, 'COUNT', this.scanCount),
      );
      cursor = next;
      for (const fullKey of batch) {
        // SCAN may return a key more than once while the keyspace is rehashing.
        if (seen.has(fullKey)) continue;
        seen.add(fullKey);
        yield fullKey.slice(this.prefix.length);
      }
    } while (cursor !== '0');
  }

  /** False (never throws) when Redis cannot be reached. */
  async ping(): Promise<boolean> {
    try {
      return (await this.run('ping', (redis) => redis.ping())) === 'PONG';
    } catch {
      return false;
    }
  }

  /**
   * `maxmemory` and `maxmemory-policy` of the Redis server (CONFIG GET); undefined when the server
   * refuses CONFIG (managed services often do) or cannot be reached.
   */
  async memoryPolicy(): Promise<CacheMemoryPolicy | undefined> {
    try {
      return await this.run('memoryPolicy', async (redis) => {
        const reply = (await redis.config('GET', 'maxmemory*')) as string[];
        const values = new Map<string, string>();
        for (let i = 0; i + 1 < reply.length; i += 2) values.set(String(reply[i]), String(reply[i + 1]));
        const policy = values.get('maxmemory-policy');
        const maxBytes = Number(values.get('maxmemory'));
        return policy === undefined || !Number.isFinite(maxBytes) ? undefined : { maxBytes, policy };
      });
    } catch {
      return undefined;
    }
  }

  /**
   * The ioredis client (for libraries that need one, such as rate limiters sharing this Redis).
   * Keys written through it directly should start with `keyPrefix`.
   */
  redisClient(): Promise<Redis> {
    return this.client;
  }

  /** The prefix prepended to every key of this cache. */
  get keyPrefix(): string {
    return this.prefix;
  }

  /** Quits the client RedisCache created; a client passed in stays open for its owner to close. */
  async close(): Promise<void> {
    if (!this.ownsClient) return;
    const redis = await this.client.catch(() => undefined);
    if (redis === undefined || redis.status === 'end') return;
    if (redis.status === 'ready') {
      await redis.quit().catch(() => redis.disconnect());
    } else {
      redis.disconnect();
    }
  }

  private key(key: string): string {
    return this.prefix + key;
  }

  private ttlMs(ttlSeconds: number | undefined): number | undefined {
    const ttl = ttlSeconds ?? this.defaultTTL;
    return ttl === undefined ? undefined : Math.max(1, Math.ceil(ttl * 1000));
  }

  private async run<T>(operation: string, command: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = await this.client;
    this.gate ??= new ReadinessGate(redis, this.connectTimeoutMs);
    await this.gate.whenReady(operation);
    let timer: NodeJS.Timeout | undefined;
    const pending = command(redis);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        pending.catch(() => {}); // it may still settle later; nobody waits for it any more
        reject(
          new ProviderError(
            `RedisCache.${operation} got no answer from Redis at ${describeRedis(redis)} within ${this.commandTimeoutMs} ms.`,
            { details: { provider: 'redis', operation, status: redis.status } },
          ),
        );
      }, this.commandTimeoutMs);
    });
    try {
      return await Promise.race([pending, timeout]);
    } catch (error) {
      if (error instanceof TypeError || isATPError(error)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new ProviderError(
        `RedisCache.${operation} failed on Redis at ${describeRedis(redis)}: ${message}`,
        {
          cause: error,
          details: { provider: 'redis', operation, status: redis.status },
        },
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

function encode(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

function decode(raw: string): unknown {
  return JSON.parse(raw);
}

function isWrongType(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('WRONGTYPE');
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** A cache provider over Redis, shared by every instance. Same as `new RedisCache(…)`. */
export function createRedisCache(options: RedisCacheOptions): RedisCache {
  return new RedisCache(options);
}
