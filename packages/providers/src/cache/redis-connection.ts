import { type Logger, ProviderError } from '@agent-tool-protocol/protocol';
import type { Redis, RedisOptions } from 'ioredis';

export type RedisSource = Redis | RedisOptions | string;

/**
 * Defaults for clients RedisCache creates itself. Commands must fail fast while Redis is down
 * instead of waiting in ioredis' offline queue: the offline queue is off (RedisCache waits for the
 * first connection itself), in-flight commands are rejected on the first reconnect attempt, and never
 * re-sent after a reconnect (a re-sent INCRBY or RPUSH could apply twice).
 */
export const FAIL_FAST_DEFAULTS: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  commandTimeout: 5_000,
  connectTimeout: 5_000,
  retryStrategy: (attempt: number) => Math.min(attempt * 100, 2_000),
};

export function isRedisClient(value: unknown): value is Redis {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { sendCommand?: unknown }).sendCommand === 'function' &&
    typeof (value as { status?: unknown }).status === 'string'
  );
}

/** Loads ioredis on first use, so the package imports cleanly where the optional peer is not installed. */
export async function createRedisClient(
  source: RedisOptions | string,
  logger: Logger,
  commandTimeoutMs: number,
): Promise<Redis> {
  let RedisClass: typeof Redis;
  try {
    const module = await import('ioredis');
    RedisClass = (module.Redis ?? module.default) as typeof Redis;
  } catch (error) {
    throw new ProviderError(
      'RedisCache needs the "ioredis" package: install it with `npm install ioredis`.',
      {
        cause: error,
        retryable: false,
      },
    );
  }
  const client =
    typeof source === 'string'
      ? new RedisClass(source, { ...FAIL_FAST_DEFAULTS, commandTimeout: commandTimeoutMs, lazyConnect: true })
      : new RedisClass({
          ...FAIL_FAST_DEFAULTS,
          commandTimeout: commandTimeoutMs,
          ...source,
          lazyConnect: true,
        });
  let lastLoggedStatus = '';
  client.on('error', (error: Error) => {
    // ioredis emits one error per failed reconnect attempt; log each outage once.
    if (lastLoggedStatus === client.status) return;
    lastLoggedStatus = client.status;
    logger.warn({ err: error, status: client.status }, 'Redis connection error');
  });
  client.on('ready', () => {
    if (lastLoggedStatus !== '') logger.warn({}, 'Redis connection restored');
    lastLoggedStatus = '';
  });
  return client;
}

export function describeRedis(client: Redis): string {
  const { host, port, path } = client.options;
  return path ? path : `${host ?? 'localhost'}:${port ?? 6379}`;
}

/**
 * Resolves once `client` can take commands. Waits only while a connection attempt is under way
 * (startup, bounded by `timeoutMs`); while Redis is down between reconnect attempts it throws at once.
 * Concurrent callers share one wait.
 */
export class ReadinessGate {
  private waiting: Promise<void> | undefined;

  constructor(
    private readonly client: Redis,
    private readonly timeoutMs: number,
  ) {}

  async whenReady(operation: string): Promise<void> {
    const status = this.client.status;
    if (status === 'ready') return;
    if (status !== 'wait' && status !== 'connecting' && status !== 'connect') {
      throw unavailable(this.client, operation, status);
    }
    this.waiting ??= this.waitForReady().finally(() => {
      this.waiting = undefined;
    });
    try {
      await this.waiting;
    } catch (error) {
      throw unavailable(this.client, operation, (error as Error).message);
    }
  }

  private waitForReady(): Promise<void> {
    const client = this.client;
    if (client.status === 'wait') client.connect().catch(() => {});
    return new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        client.off('ready', onReady);
        client.off('close', onClose);
        client.off('end', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onReady = () => done();
      const onClose = () => done(new Error('connection failed'));
      const timer = setTimeout(() => done(new Error(`not ready after ${this.timeoutMs} ms`)), this.timeoutMs);
      client.on('ready', onReady);
      client.on('close', onClose);
      client.on('end', onClose);
    });
  }
}

function unavailable(client: Redis, operation: string, status: string): ProviderError {
  return new ProviderError(
    `Redis at ${describeRedis(client)} is unavailable (${status}); RedisCache.${operation} was not run. ` +
      'It succeeds again once Redis is back.',
    { details: { provider: 'redis', operation, status: client.status } },
  );
}
