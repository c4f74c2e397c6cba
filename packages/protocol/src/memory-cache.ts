import type { CacheProvider } from './providers.js';

interface Entry {
  value: unknown;
  /** Epoch ms, or undefined for no expiry. */
  expiresAt: number | undefined;
}

export interface MemoryCacheOptions {
  /** Most keys kept; the least recently used key is evicted beyond it. Default 10,000. */
  maxEntries?: number;
  /** TTL in seconds applied when a write gives none. Default: no expiry. */
  defaultTTL?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * The embedded, single-process CacheProvider: LRU-bounded, with TTLs. Values are copied in and out
 * (structured clone), so callers never share references, as with a networked cache.
 */
export class MemoryCache implements CacheProvider {
  readonly name = 'memory';
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly defaultTTL: number | undefined;
  private readonly now: () => number;

  constructor(options: MemoryCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.defaultTTL = options.defaultTTL;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const entry = this.live(key);
    return entry === undefined ? undefined : (structuredClone(entry.value) as T);
  }

  async set(key: string, value: unknown, ttlSeconds?: number): Promise<void> {
    this.store(key, structuredClone(value), this.expiry(ttlSeconds));
  }

  async delete(key: string): Promise<boolean> {
    return this.entries.delete(key);
  }

  async has(key: string): Promise<boolean> {
    return this.live(key) !== undefined;
  }

  async setIfAbsent(key: string, value: unknown, ttlSeconds?: number): Promise<boolean> {
    if (this.live(key) !== undefined) return false;
    this.store(key, structuredClone(value), this.expiry(ttlSeconds));
    return true;
  }

  async deleteIfEquals(key: string, expected: unknown): Promise<boolean> {
    const entry = this.live(key);
    if (entry === undefined || JSON.stringify(entry.value) !== JSON.stringify(expected)) return false;
    return this.entries.delete(key);
  }

  async increment(key: string, by = 1, ttlSeconds?: number): Promise<number> {
    const entry = this.live(key);
    if (entry === undefined) {
      this.store(key, by, this.expiry(ttlSeconds));
      return by;
    }
    if (typeof entry.value !== 'number') throw new TypeError(`Cache key "${key}" does not hold a number`);
    entry.value += by;
    return entry.value;
  }

  async append(key: string, value: unknown, ttlSeconds?: number): Promise<number> {
    const entry = this.live(key);
    if (entry === undefined) {
      this.store(key, [structuredClone(value)], this.expiry(ttlSeconds));
      return 1;
    }
    if (!Array.isArray(entry.value)) throw new TypeError(`Cache key "${key}" does not hold a list`);
    entry.value.push(structuredClone(value));
    return entry.value.length;
  }

  async range<T = unknown>(key: string, start = 0, end = -1): Promise<T[]> {
    const entry = this.live(key);
    if (entry === undefined) return [];
    if (!Array.isArray(entry.value)) throw new TypeError(`Cache key "${key}" does not hold a list`);
    const list = entry.value;
    const from = start < 0 ? Math.max(list.length + start, 0) : start;
    const to = end < 0 ? list.length + end : Math.min(end, list.length - 1);
    return structuredClone(list.slice(from, to + 1)) as T[];
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
  }

  private expiry(ttlSeconds: number | undefined): number | undefined {
    const ttl = ttlSeconds ?? this.defaultTTL;
    return ttl === undefined ? undefined : this.now() + ttl * 1000;
  }

  /** The entry when present and not expired; a read marks it most recently used. */
  private live(key: string, touch = true): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    if (touch) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  private store(key: string, value: unknown, expiresAt: number | undefined): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}

/** An in-memory cache provider (tests, single instances). Same as `new MemoryCache(…)`. */
export function createMemoryCache(options: MemoryCacheOptions = {}): MemoryCache {
  return new MemoryCache(options);
}
