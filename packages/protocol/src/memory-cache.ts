import { ProviderError } from './errors.js';
import type { CacheProvider } from './providers.js';

/**
 * What a key holds: a value as its JSON text (copied out by parsing it), a list of JSON texts
 * (`append`), or a counter (`increment`).
 */
type Stored = { text: string } | { items: string[] } | { count: number };

interface Entry {
  stored: Stored;
  /** Epoch ms, or undefined for no expiry. */
  expiresAt: number | undefined;
  /** Approximate size: the key plus the value's JSON text (UTF-16 code units). */
  bytes: number;
}

export interface MemoryCacheOptions {
  /** Most keys kept. Default 10,000. */
  maxEntries?: number;
  /** Most bytes kept (the keys plus the values' JSON text, approximately). Default: no byte bound. */
  maxBytes?: number;
  /**
   * What a write does when a bound is reached: `evict` drops the least recently used keys (a cache);
   * `reject` throws a CacheFullError and keeps every stored key (a store whose keys must not be lost).
   * Expired keys are purged first either way. Default `evict`.
   */
  whenFull?: 'evict' | 'reject';
  /** TTL in seconds applied when a write gives none. Default: no expiry. */
  defaultTTL?: number;
  /** A name for messages (e.g. `sessions`). */
  label?: string;
  /** Clock, for tests. */
  now?: () => number;
}

/** A `reject`-mode MemoryCache is full: nothing was written. Retryable (503), like a provider outage. */
export class CacheFullError extends ProviderError {}

/** Least time between two full scans for expired keys when the cache is full. */
const PURGE_INTERVAL_MS = 1_000;

/** A value as a networked cache stores it (the Redis provider encodes the same way). */
const encode = (value: unknown): string => JSON.stringify(value) ?? 'null';

function sizeOf(stored: Stored): number {
  if ('text' in stored) return stored.text.length;
  if ('items' in stored) return stored.items.reduce((total, item) => total + item.length + 1, 0);
  return String(stored.count).length;
}

function read(stored: Stored): unknown {
  if ('text' in stored) return JSON.parse(stored.text);
  if ('items' in stored) return stored.items.map((item) => JSON.parse(item) as unknown);
  return stored.count;
}

/**
 * The embedded, single-process CacheProvider: bounded by entries (and optionally bytes), with TTLs.
 * Values are kept as JSON text, as a networked cache keeps them: callers never share references, and a
 * value reads back exactly as it would from Redis. Encoding once on write is also the cheapest copy
 * (a structured clone in and out costs about three times as much, and the byte bound needs the JSON
 * text anyway).
 */
export class MemoryCache implements CacheProvider {
  readonly name = 'memory';
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly reject: boolean;
  private readonly label: string;
  private readonly defaultTTL: number | undefined;
  private readonly now: () => number;
  private totalBytes = 0;
  private lastPurge = Number.NEGATIVE_INFINITY;

  constructor(options: MemoryCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    this.reject = options.whenFull === 'reject';
    this.label = options.label ?? 'memory cache';
    this.defaultTTL = options.defaultTTL;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Approximate bytes held (keys plus values' JSON text). */
  get bytes(): number {
    return this.totalBytes;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const entry = this.live(key);
    return entry === undefined ? undefined : (read(entry.stored) as T);
  }

  async set(key: string, value: unknown, ttlSeconds?: number): Promise<void> {
    this.store(key, { text: encode(value) }, this.expiry(ttlSeconds));
  }

  async delete(key: string): Promise<boolean> {
    return this.remove(key);
  }

  async has(key: string): Promise<boolean> {
    return this.live(key) !== undefined;
  }

  async setIfAbsent(key: string, value: unknown, ttlSeconds?: number): Promise<boolean> {
    if (this.live(key) !== undefined) return false;
    this.store(key, { text: encode(value) }, this.expiry(ttlSeconds));
    return true;
  }

  async deleteIfEquals(key: string, expected: unknown): Promise<boolean> {
    const entry = this.live(key);
    if (entry === undefined) return false;
    const text = 'text' in entry.stored ? entry.stored.text : encode(read(entry.stored));
    if (text !== encode(expected)) return false;
    return this.remove(key);
  }

  async increment(key: string, by = 1, ttlSeconds?: number): Promise<number> {
    const entry = this.live(key);
    if (entry === undefined) {
      this.store(key, { count: by }, this.expiry(ttlSeconds));
      return by;
    }
    const current = 'count' in entry.stored ? entry.stored.count : read(entry.stored);
    if (typeof current !== 'number') throw new TypeError(`Cache key "${key}" does not hold a number`);
    // A counter's size is counted once, when it is created.
    entry.stored = { count: current + by };
    return current + by;
  }

  async append(key: string, value: unknown, ttlSeconds?: number): Promise<number> {
    const entry = this.live(key);
    const item = encode(value);
    if (entry === undefined) {
      this.store(key, { items: [item] }, this.expiry(ttlSeconds));
      return 1;
    }
    if ('text' in entry.stored && Array.isArray(read(entry.stored))) {
      // An array written whole with `set` continues as a list when appended to.
      const items = (read(entry.stored) as unknown[]).map(encode);
      this.replace(key, entry, { items });
    }
    const stored = entry.stored;
    if (!('items' in stored)) throw new TypeError(`Cache key "${key}" does not hold a list`);
    const added = item.length + 1;
    this.makeRoom(key, 0, added);
    stored.items.push(item);
    entry.bytes += added;
    this.totalBytes += added;
    return stored.items.length;
  }

  async range<T = unknown>(key: string, start = 0, end = -1): Promise<T[]> {
    const entry = this.live(key);
    if (entry === undefined) return [];
    const list = 'items' in entry.stored ? entry.stored.items : undefined;
    if (list === undefined) {
      const value = read(entry.stored);
      if (!Array.isArray(value)) throw new TypeError(`Cache key "${key}" does not hold a list`);
      return value.slice(...rangeBounds(value.length, start, end)) as T[];
    }
    return list.slice(...rangeBounds(list.length, start, end)).map((item) => JSON.parse(item) as T);
  }

  async expire(key: string, ttlSeconds: number): Promise<boolean> {
    const entry = this.live(key);
    if (entry === undefined) return false;
    entry.expiresAt = this.now() + ttlSeconds * 1000;
    return true;
  }

  async *keys(prefix: string): AsyncIterable<string> {
    for (const key of [...this.entries.keys()]) {
      if (key.startsWith(prefix) && this.live(key, false) !== undefined) yield key;
    }
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.totalBytes = 0;
  }

  private expiry(ttlSeconds: number | undefined): number | undefined {
    const ttl = ttlSeconds ?? this.defaultTTL;
    return ttl === undefined ? undefined : this.now() + ttl * 1000;
  }

  private remove(key: string): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
    return true;
  }

  /** The entry when present and not expired; a read marks it most recently used. */
  private live(key: string, touch = true): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.remove(key);
      return undefined;
    }
    if (touch) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  private store(key: string, stored: Stored, expiresAt: number | undefined): void {
    const bytes = key.length + sizeOf(stored);
    const previous = this.entries.get(key);
    this.makeRoom(key, previous === undefined ? 1 : 0, bytes - (previous?.bytes ?? 0));
    this.remove(key);
    this.entries.set(key, { stored, expiresAt, bytes });
    this.totalBytes += bytes;
  }

  /** Changes what a live key holds in place (its TTL and recency stay). */
  private replace(key: string, entry: Entry, stored: Stored): void {
    const bytes = key.length + sizeOf(stored);
    this.makeRoom(key, 0, bytes - entry.bytes);
    this.totalBytes += bytes - entry.bytes;
    entry.stored = stored;
    entry.bytes = bytes;
  }

  private fits(addedEntries: number, addedBytes: number): boolean {
    return (
      this.entries.size + addedEntries <= this.maxEntries && this.totalBytes + addedBytes <= this.maxBytes
    );
  }

  /** Frees room for a write of `key` (expired keys first, then LRU or a CacheFullError). */
  private makeRoom(key: string, addedEntries: number, addedBytes: number): void {
    if (this.fits(addedEntries, addedBytes)) return;
    const now = this.now();
    if (now - this.lastPurge >= PURGE_INTERVAL_MS) {
      this.lastPurge = now;
      for (const [candidate, entry] of this.entries) {
        if (entry.expiresAt !== undefined && entry.expiresAt <= now) this.remove(candidate);
      }
      if (this.fits(addedEntries, addedBytes)) return;
    }
    if (!this.reject) {
      for (const oldest of this.entries.keys()) {
        if (this.fits(addedEntries, addedBytes)) return;
        if (oldest !== key) this.remove(oldest);
      }
      if (this.fits(addedEntries, addedBytes)) return;
    }
    throw new CacheFullError(
      `The ${this.label} is full (${this.entries.size} keys, about ${Math.round(this.totalBytes / 1024)} KiB); nothing was written. Retry later, or give the server more room.`,
    );
  }
}

/** `[from, to)` slice bounds of an inclusive LRANGE-style `start`..`end` over a list of `length`. */
function rangeBounds(length: number, start: number, end: number): [number, number] {
  const from = start < 0 ? Math.max(length + start, 0) : start;
  const to = end < 0 ? length + end : Math.min(end, length - 1);
  return [from, to + 1];
}

/** An in-memory cache provider (tests, single instances). Same as `new MemoryCache(…)`. */
export function createMemoryCache(options: MemoryCacheOptions = {}): MemoryCache {
  return new MemoryCache(options);
}
