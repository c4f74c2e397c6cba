import {
  type CacheProvider,
  ErrorCode,
  type Logger,
  QuotaExceededError,
  RateLimitError,
} from '@agent-tool-protocol/protocol';
import { type ExecutionEvent, executionKeyOf } from '@agent-tool-protocol/runtime';
import type { LedgerLimits, QuotaLedger } from './quota-ledger.js';

interface Owner {
  clientId: string;
  /** Journal bytes this execution has in the store (including what earlier legs wrote). */
  journalBytes: number;
  /** Resolves once `journalBytes` is known (a durable resume reads it from the ledger). */
  ready: Promise<void>;
  /** What the client's other executions hold, read once per leg. */
  othersBytes?: Promise<number>;
}

export interface DurableStateLimits {
  /** `quotas.paused.maxBytes`. */
  maxBytes: number;
  /** `execution.maxPausedPerClient`. */
  maxPaused: number;
  /** How long paused state lives, in seconds. */
  ttlSeconds: number;
}

const sizeOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '');

/**
 * Meters what executions write to the store: the cache provider the runtime's executor gets is this
 * wrapper, which counts each execution's journal and paused state against its client's quota (a
 * ledger, so it holds across instances) and refuses a write beyond it with QUOTA_EXCEEDED. Other keys
 * pass through untouched.
 */
export class DurableStateMeter implements CacheProvider {
  readonly name: string;
  private readonly owners = new Map<string, Owner>();
  private readonly limits: LedgerLimits;

  constructor(
    private readonly inner: CacheProvider,
    private readonly ledger: QuotaLedger,
    private readonly settings: DurableStateLimits,
    private readonly logger: Logger,
  ) {
    this.name = inner.name;
    this.limits = {
      what: 'Paused execution state',
      bytes: { max: settings.maxBytes, quota: 'quotas.paused.maxBytes', unit: 'bytes' },
      items: {
        max: settings.maxPaused,
        quota: 'execution.maxPausedPerClient',
        unit: 'paused executions',
        flagged: true,
      },
    };
  }

  /**
   * Follows executions (their client) from the runtime's lifecycle events. The ledger item of an
   * execution is released when its final state is written, which the runtime does for every execution
   * that wrote durable state.
   */
  onEvent(event: ExecutionEvent): void {
    if (event.type === 'execution_start') {
      this.owners.set(event.executionId, {
        clientId: event.clientId,
        journalBytes: 0,
        ready: Promise.resolve(),
      });
    } else if (event.type === 'execution_resume') {
      // A resume continues a journal an earlier leg (maybe on another instance) wrote.
      const owner: Owner = { clientId: event.clientId, journalBytes: 0, ready: Promise.resolve() };
      owner.ready = this.ledger.items(event.clientId).then(
        (items) => {
          owner.journalBytes = items[event.executionId]?.m ?? 0;
        },
        () => undefined,
      );
      this.owners.set(event.executionId, owner);
    } else if (event.type === 'execution_end') {
      this.owners.delete(event.executionId);
    } else if (event.type === 'execution_pause') {
      const owner = this.owners.get(event.executionId);
      if (owner) owner.othersBytes = undefined;
    }
  }

  /**
   * Throws a 429 when the client already holds `execution.maxPausedPerClient` paused executions. When the
   * store cannot be read the execution may start: it cannot pause while the store is down anyway (its
   * paused state is counted when it is written), and work that needs no store keeps running.
   */
  async assertRoom(clientId: string): Promise<void> {
    let flagged: number;
    try {
      ({ flagged } = await this.ledger.totals(clientId));
    } catch (error) {
      this.logger.debug({ err: error, clientId }, 'paused executions could not be counted; not limiting');
      return;
    }
    if (flagged < this.settings.maxPaused) return;
    throw new RateLimitError(
      `This client holds ${flagged} paused executions (execution.maxPausedPerClient is ${this.settings.maxPaused}); resume or cancel one first.`,
      5,
      ErrorCode.TOO_MANY_EXECUTIONS,
    );
  }

  async append(key: string, value: unknown, ttlSeconds?: number): Promise<number> {
    const target = executionKeyOf(key);
    const owner = target?.kind === 'journal' ? this.owners.get(target.executionId) : undefined;
    if (target && owner) {
      const bytes = sizeOf(value);
      await owner.ready;
      owner.othersBytes ??= this.othersBytes(owner.clientId, target.executionId);
      const others = await owner.othersBytes;
      const journal = owner.journalBytes;
      if (others + journal + bytes > this.settings.maxBytes) {
        throw new QuotaExceededError(
          `Paused execution state of this client would exceed quotas.paused.maxBytes (${this.settings.maxBytes} bytes): it holds ${others + journal}, this journal entry needs ${bytes} more.`,
          { quota: 'quotas.paused.maxBytes', limit: this.settings.maxBytes, used: others + journal },
        );
      }
      owner.journalBytes = journal + bytes;
    }
    return this.inner.append(key, value, ttlSeconds);
  }

  async set(key: string, value: unknown, ttlSeconds?: number): Promise<void> {
    const target = executionKeyOf(key);
    const state = value as { status?: unknown; clientId?: unknown } | null;
    if (target?.kind === 'state' && typeof state?.clientId === 'string') {
      const clientId = state.clientId;
      if (state.status === 'paused') {
        const owner = this.owners.get(target.executionId);
        await owner?.ready;
        const journal = owner?.journalBytes ?? 0;
        const ttl = ttlSeconds ?? this.settings.ttlSeconds;
        await this.ledger.reserve(
          clientId,
          target.executionId,
          { b: journal + sizeOf(value), x: Date.now() + ttl * 1000, f: 1, m: journal },
          this.limits,
        );
      } else {
        await this.inner.set(key, value, ttlSeconds);
        await this.ledger.release(clientId, target.executionId);
        return;
      }
    }
    await this.inner.set(key, value, ttlSeconds);
  }

  private async othersBytes(clientId: string, executionId: string): Promise<number> {
    const items = await this.ledger.items(clientId);
    let bytes = 0;
    for (const [id, item] of Object.entries(items)) if (id !== executionId) bytes += item.b;
    return bytes;
  }

  get<T = unknown>(key: string): Promise<T | undefined> {
    return this.inner.get<T>(key);
  }

  delete(key: string): Promise<boolean> {
    return this.inner.delete(key);
  }

  has(key: string): Promise<boolean> {
    return this.inner.has(key);
  }

  setIfAbsent(key: string, value: unknown, ttlSeconds?: number): Promise<boolean> {
    return this.inner.setIfAbsent(key, value, ttlSeconds);
  }

  deleteIfEquals(key: string, expected: unknown): Promise<boolean> {
    return this.inner.deleteIfEquals(key, expected);
  }

  increment(key: string, by?: number, ttlSeconds?: number): Promise<number> {
    return this.inner.increment(key, by, ttlSeconds);
  }

  range<T = unknown>(key: string, start?: number, end?: number): Promise<T[]> {
    return this.inner.range<T>(key, start, end);
  }

  expire(key: string, ttlSeconds: number): Promise<boolean> {
    return this.inner.expire(key, ttlSeconds);
  }

  keys(prefix: string): AsyncIterable<string> {
    return this.inner.keys(prefix);
  }

  async ping(): Promise<boolean> {
    return (await this.inner.ping?.()) ?? true;
  }
}
