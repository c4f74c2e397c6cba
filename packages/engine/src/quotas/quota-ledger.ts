import { type CacheProvider, QuotaExceededError } from '@agent-tool-protocol/protocol';
import type { StoreLock } from './store-lock.js';

/** One metered thing a client holds: its bytes, when it expires (epoch ms), and a flag and a number for the owner. */
export interface LedgerItem {
  b: number;
  x: number;
  /** Marks items counted by `LedgerLimits.items` when it has `flagged`. */
  f?: 1;
  /** A number the owner keeps with the item. */
  m?: number;
}

export type LedgerItems = Record<string, LedgerItem>;

export interface QuotaLimit {
  max: number;
  /** The config path, e.g. `quotas.cache.maxBytes`. */
  quota: string;
  /** For the message: `bytes`, `keys`, `paused executions`. */
  unit: string;
}

export interface LedgerLimits {
  /** What is metered, for the message: `atp.cache data`. */
  what: string;
  bytes: QuotaLimit;
  /** Bounds the number of items (only flagged ones with `flagged`). */
  items?: QuotaLimit & { flagged?: boolean };
  /** HTTP status of the refusal when it reaches a route (default 413). */
  httpStatus?: number;
}

export interface LedgerTotals {
  bytes: number;
  items: number;
  flagged: number;
}

/**
 * Per-client usage kept in the system store, so a quota holds across every instance sharing it: one
 * record per client and namespace listing what the client holds (by id), changed under a lock. Items
 * expire with what they meter, so nothing is counted after its data is gone.
 */
export class QuotaLedger {
  constructor(
    private readonly store: CacheProvider,
    private readonly lock: StoreLock,
    private readonly namespace: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The client's live items (read without the lock). */
  async items(clientId: string): Promise<LedgerItems> {
    const stored = await this.store.get<{ items?: LedgerItems }>(this.key(clientId));
    const now = this.now();
    const live: LedgerItems = {};
    for (const [id, item] of Object.entries(stored?.items ?? {})) if (item.x > now) live[id] = item;
    return live;
  }

  async totals(clientId: string): Promise<LedgerTotals> {
    return totalsOf(await this.items(clientId));
  }

  /**
   * Records `item` under `id` (replacing what that id held) when the client's totals stay within
   * `limits`; else a QuotaExceededError and nothing changes. `reconcile` may drop items whose data is
   * gone (evicted) before the refusal is final.
   */
  async reserve(
    clientId: string,
    id: string,
    item: LedgerItem,
    limits: LedgerLimits,
    reconcile?: (items: LedgerItems) => Promise<LedgerItems>,
  ): Promise<void> {
    await this.lock.with(this.lockKey(clientId), async () => {
      let items = await this.items(clientId);
      let refusal = refusalOf(items, id, item, limits);
      if (refusal && reconcile) {
        items = await reconcile(items);
        refusal = refusalOf(items, id, item, limits);
      }
      if (refusal) throw refusal;
      items[id] = item;
      await this.write(clientId, items);
    });
  }

  /** Forgets `id`; true when it was recorded. */
  async release(clientId: string, id: string): Promise<boolean> {
    return this.lock.with(this.lockKey(clientId), async () => {
      const items = await this.items(clientId);
      if (!(id in items)) return false;
      delete items[id];
      await this.write(clientId, items);
      return true;
    });
  }

  private async write(clientId: string, items: LedgerItems): Promise<void> {
    const latest = Math.max(0, ...Object.values(items).map((item) => item.x));
    if (latest <= this.now()) {
      await this.store.delete(this.key(clientId));
      return;
    }
    await this.store.set(this.key(clientId), { items }, Math.ceil((latest - this.now()) / 1000));
  }

  private key(clientId: string): string {
    return `atp:quota:${this.namespace}:${clientId}`;
  }

  private lockKey(clientId: string): string {
    return `atp:quota:${this.namespace}:${clientId}:lock`;
  }
}

function totalsOf(items: LedgerItems, except?: string): LedgerTotals {
  const totals = { bytes: 0, items: 0, flagged: 0 };
  for (const [id, item] of Object.entries(items)) {
    if (id === except) continue;
    totals.bytes += item.b;
    totals.items++;
    if (item.f === 1) totals.flagged++;
  }
  return totals;
}

function refusalOf(
  items: LedgerItems,
  id: string,
  item: LedgerItem,
  limits: LedgerLimits,
): QuotaExceededError | undefined {
  const others = totalsOf(items, id);
  const refuse = (limit: QuotaLimit, used: number, adding: number) =>
    new QuotaExceededError(
      `${limits.what} of this client would exceed ${limit.quota} (${limit.max} ${limit.unit}): it holds ${used}, this needs ${adding} more.`,
      { quota: limit.quota, limit: limit.max, used },
      limits.httpStatus === undefined ? {} : { httpStatus: limits.httpStatus },
    );
  if (others.bytes + item.b > limits.bytes.max) return refuse(limits.bytes, others.bytes, item.b);
  const itemLimit = limits.items;
  if (itemLimit) {
    const counted = itemLimit.flagged ? others.flagged : others.items;
    const adding = itemLimit.flagged ? (item.f === 1 ? 1 : 0) : 1;
    if (counted + adding > itemLimit.max) return refuse(itemLimit, counted, adding);
  }
  return undefined;
}
