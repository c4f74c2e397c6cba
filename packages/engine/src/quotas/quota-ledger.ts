import { randomUUID } from 'node:crypto';
import { type CacheProvider, QuotaExceededError } from '@agent-tool-protocol/protocol';
import type { StoreLock } from './store-lock.js';

/** One metered thing a client holds: its bytes, when it expires (epoch ms), a flag and a number for the owner. */
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

/** A client's ledger as read: its live items, their totals, and the version it was read at. */
interface Snapshot {
  version: string | undefined;
  items: Map<string, LedgerItem>;
  totals: LedgerTotals;
  /** The earliest expiry among the items: the snapshot is stale from then on. */
  staleAt: number;
}

/** Stored form: `[id, bytes, expiresAt, flag, number]` per item, as one JSON string. */
type StoredItem = [string, number, number, 0 | 1, number?];

/** Clients whose ledgers this instance keeps parsed (the most recently used). */
const MAX_SNAPSHOTS = 256;

/**
 * Per-client usage kept in the system store, so a quota holds across every instance sharing it: one
 * record per client and namespace listing what the client holds (by id), changed under a lock, with a
 * version key next to it. An instance keeps the records it read parsed and reads them again only when
 * the version changed, so a refusal costs one small read. Items expire with what they meter.
 */
export class QuotaLedger {
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(
    private readonly store: CacheProvider,
    private readonly lock: StoreLock,
    private readonly namespace: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The client's live items (read without the lock). */
  async items(clientId: string): Promise<LedgerItems> {
    return Object.fromEntries((await this.load(clientId)).items);
  }

  async totals(clientId: string): Promise<LedgerTotals> {
    return { ...(await this.load(clientId)).totals };
  }

  /**
   * Records `item` under `id` (replacing what that id held) when the client's totals stay within
   * `limits`; else a QuotaExceededError and nothing changes. `reconcile` may drop items whose data is
   * gone (evicted) before a refusal is final.
   */
  async reserve(
    clientId: string,
    id: string,
    item: LedgerItem,
    limits: LedgerLimits,
    reconcile?: { due(): boolean; run(ids: string[]): Promise<string[]> },
  ): Promise<void> {
    // Refused without the lock when the latest ledger already says so (and nothing is to reconcile).
    const early = refusalOf(await this.load(clientId), id, item, limits);
    if (early && !reconcile?.due()) throw early;
    await this.lock.with(this.lockKey(clientId), async () => {
      const snapshot = await this.load(clientId);
      let refusal = refusalOf(snapshot, id, item, limits);
      if (refusal && reconcile?.due()) {
        const gone = await reconcile.run([...snapshot.items.keys()]);
        for (const missing of gone) snapshot.items.delete(missing);
        refusal = refusalOf(summarise(snapshot, this.now()), id, item, limits);
        if (refusal && gone.length > 0) await this.write(clientId, snapshot);
      }
      if (refusal) throw refusal;
      snapshot.items.set(id, item);
      await this.write(clientId, snapshot);
    });
  }

  /** Forgets `id`; true when it was recorded. */
  async release(clientId: string, id: string): Promise<boolean> {
    if (!(await this.load(clientId)).items.has(id)) return false;
    return this.lock.with(this.lockKey(clientId), async () => {
      const snapshot = await this.load(clientId);
      if (!snapshot.items.delete(id)) return false;
      await this.write(clientId, snapshot);
      return true;
    });
  }

  private async load(clientId: string): Promise<Snapshot> {
    const version = await this.store.get<string>(this.versionKey(clientId));
    const cached = this.snapshots.get(clientId);
    const now = this.now();
    if (cached && cached.version === version && now < cached.staleAt) {
      this.snapshots.delete(clientId);
      this.snapshots.set(clientId, cached);
      return cached;
    }
    const text = version === undefined ? undefined : await this.store.get<string>(this.recordKey(clientId));
    const items = new Map<string, LedgerItem>();
    for (const [id, b, x, f, m] of parseRecord(text)) {
      if (x <= now) continue;
      const item: LedgerItem = { b, x };
      if (f === 1) item.f = 1;
      if (m !== undefined) item.m = m;
      items.set(id, item);
    }
    const snapshot = summarise(
      { version, items, totals: { bytes: 0, items: 0, flagged: 0 }, staleAt: 0 },
      now,
    );
    this.remember(clientId, snapshot);
    return snapshot;
  }

  private remember(clientId: string, snapshot: Snapshot): void {
    this.snapshots.delete(clientId);
    this.snapshots.set(clientId, snapshot);
    if (this.snapshots.size > MAX_SNAPSHOTS)
      this.snapshots.delete(this.snapshots.keys().next().value as string);
  }

  private async write(clientId: string, snapshot: Snapshot): Promise<void> {
    const now = this.now();
    summarise(snapshot, now);
    try {
      const latest = Math.max(0, ...[...snapshot.items.values()].map((item) => item.x));
      const version = randomUUID();
      if (latest <= now) {
        await this.store.delete(this.recordKey(clientId));
        await this.store.delete(this.versionKey(clientId));
        snapshot.version = undefined;
        return;
      }
      const ttl = Math.ceil((latest - now) / 1000);
      const stored: StoredItem[] = [...snapshot.items].map(([id, item]) =>
        item.m === undefined ? [id, item.b, item.x, item.f ?? 0] : [id, item.b, item.x, item.f ?? 0, item.m],
      );
      await this.store.set(this.recordKey(clientId), JSON.stringify(stored), ttl);
      await this.store.set(this.versionKey(clientId), version, ttl);
      snapshot.version = version;
    } catch (error) {
      // What was stored is unknown now: read it again next time.
      this.snapshots.delete(clientId);
      throw error;
    }
  }

  private recordKey(clientId: string): string {
    return `atp:quota:${this.namespace}:${clientId}`;
  }

  private versionKey(clientId: string): string {
    return `atp:quota:${this.namespace}:${clientId}:version`;
  }

  private lockKey(clientId: string): string {
    return `atp:quota:${this.namespace}:${clientId}:lock`;
  }
}

function parseRecord(text: string | undefined): StoredItem[] {
  if (typeof text !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? (parsed as StoredItem[]) : [];
  } catch {
    return [];
  }
}

/** Recomputes totals and staleness after the items changed; returns the same snapshot. */
function summarise(snapshot: Snapshot, now: number): Snapshot {
  const totals = { bytes: 0, items: 0, flagged: 0 };
  let staleAt = Number.POSITIVE_INFINITY;
  for (const [id, item] of snapshot.items) {
    if (item.x <= now) {
      snapshot.items.delete(id);
      continue;
    }
    totals.bytes += item.b;
    totals.items++;
    if (item.f === 1) totals.flagged++;
    staleAt = Math.min(staleAt, item.x);
  }
  snapshot.totals = totals;
  snapshot.staleAt = staleAt;
  return snapshot;
}

function refusalOf(
  snapshot: Snapshot,
  id: string,
  item: LedgerItem,
  limits: LedgerLimits,
): QuotaExceededError | undefined {
  const current = snapshot.items.get(id);
  const others = {
    bytes: snapshot.totals.bytes - (current?.b ?? 0),
    items: snapshot.totals.items - (current ? 1 : 0),
    flagged: snapshot.totals.flagged - (current?.f === 1 ? 1 : 0),
  };
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
