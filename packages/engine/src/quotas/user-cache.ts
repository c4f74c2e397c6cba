import { type CacheProvider, QuotaExceededError } from '@agent-tool-protocol/protocol';
import type { UserCacheStore } from '@agent-tool-protocol/runtime';
import type { LedgerLimits, QuotaLedger } from './quota-ledger.js';
import type { QuotasConfig } from './quotas-config.js';

/** Least time between two checks of one client's ledger against the store (after evictions). */
const RECONCILE_INTERVAL_MS = 30_000;

const storeKey = (clientId: string, key: string) => `atp:cache:${clientId}:${key}`;

/**
 * `atp.cache.*` for agent code: values in the user-data store (never the system store), under per-client
 * quotas of bytes and keys kept in a ledger in the system store, with a default and a maximum TTL.
 */
export class QuotaUserCache implements UserCacheStore {
  private readonly limits: LedgerLimits;
  private readonly reconciled = new Map<string, number>();

  constructor(
    private readonly store: CacheProvider,
    private readonly ledger: QuotaLedger,
    private readonly quotas: QuotasConfig['cache'],
    private readonly now: () => number = Date.now,
  ) {
    this.limits = {
      what: 'atp.cache data',
      bytes: { max: quotas.maxBytes, quota: 'quotas.cache.maxBytes', unit: 'bytes' },
      items: { max: quotas.maxEntries, quota: 'quotas.cache.maxEntries', unit: 'keys' },
    };
  }

  get(clientId: string, key: string): Promise<unknown> {
    return this.store.get(storeKey(clientId, key));
  }

  async set(clientId: string, key: string, value: unknown, ttlSeconds: number | undefined): Promise<void> {
    const bytes = Buffer.byteLength(key) + Buffer.byteLength(JSON.stringify(value) ?? 'null');
    if (bytes > this.quotas.maxBytes) {
      throw new QuotaExceededError(
        `The value is ${bytes} bytes; one client's atp.cache data may hold at most ${this.quotas.maxBytes} (quotas.cache.maxBytes).`,
        { quota: 'quotas.cache.maxBytes', limit: this.quotas.maxBytes, used: 0 },
      );
    }
    const ttl = Math.min(ttlSeconds ?? this.quotas.defaultTTLSeconds, this.quotas.maxTTLSeconds);
    await this.ledger.reserve(clientId, key, { b: bytes, x: this.now() + ttl * 1000 }, this.limits, {
      due: () =>
        this.now() - (this.reconciled.get(clientId) ?? Number.NEGATIVE_INFINITY) >= RECONCILE_INTERVAL_MS,
      run: (keys) => this.evicted(clientId, keys),
    });
    await this.store.set(storeKey(clientId, key), value, ttl);
  }

  async delete(clientId: string, key: string): Promise<boolean> {
    const existed = await this.store.delete(storeKey(clientId, key));
    await this.ledger.release(clientId, key);
    return existed;
  }

  /** The keys whose value the store no longer has (its LRU evicted them): they count no more. */
  private async evicted(clientId: string, keys: string[]): Promise<string[]> {
    this.reconciled.delete(clientId);
    this.reconciled.set(clientId, this.now());
    if (this.reconciled.size > 10_000) this.reconciled.delete(this.reconciled.keys().next().value as string);
    const gone: string[] = [];
    for (const key of keys) if (!(await this.store.has(storeKey(clientId, key)))) gone.push(key);
    return gone;
  }
}
