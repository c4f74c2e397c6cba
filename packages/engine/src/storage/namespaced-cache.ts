import type { CacheProvider } from '@agent-tool-protocol/protocol';

export interface CacheNamespace {
  /** Keys starting with one of these prefixes live in `cache`. */
  prefixes: readonly string[];
  cache: CacheProvider;
}

/**
 * One CacheProvider over several, chosen by key prefix: each kind of state has its own store and
 * budget, so one kind filling up never evicts or blocks another. Keys matching no namespace go to
 * `fallback`.
 */
export class NamespacedCache implements CacheProvider {
  readonly name: string;

  constructor(
    private readonly namespaces: readonly CacheNamespace[],
    private readonly fallback: CacheProvider,
  ) {
    this.name = fallback.name;
  }

  private storeOf(key: string): CacheProvider {
    for (const namespace of this.namespaces) {
      if (namespace.prefixes.some((prefix) => key.startsWith(prefix))) return namespace.cache;
    }
    return this.fallback;
  }

  get<T = unknown>(key: string): Promise<T | undefined> {
    return this.storeOf(key).get<T>(key);
  }

  set(key: string, value: unknown, ttlSeconds?: number): Promise<void> {
    return this.storeOf(key).set(key, value, ttlSeconds);
  }

  delete(key: string): Promise<boolean> {
    return this.storeOf(key).delete(key);
  }

  has(key: string): Promise<boolean> {
    return this.storeOf(key).has(key);
  }

  setIfAbsent(key: string, value: unknown, ttlSeconds?: number): Promise<boolean> {
    return this.storeOf(key).setIfAbsent(key, value, ttlSeconds);
  }

  deleteIfEquals(key: string, expected: unknown): Promise<boolean> {
    return this.storeOf(key).deleteIfEquals(key, expected);
  }

  increment(key: string, by?: number, ttlSeconds?: number): Promise<number> {
    return this.storeOf(key).increment(key, by, ttlSeconds);
  }

  append(key: string, value: unknown, ttlSeconds?: number): Promise<number> {
    return this.storeOf(key).append(key, value, ttlSeconds);
  }

  range<T = unknown>(key: string, start?: number, end?: number): Promise<T[]> {
    return this.storeOf(key).range<T>(key, start, end);
  }

  expire(key: string, ttlSeconds: number): Promise<boolean> {
    return this.storeOf(key).expire(key, ttlSeconds);
  }

  /** Keys of every store that can hold keys starting with `prefix` (each key lives in exactly one). */
  async *keys(prefix: string): AsyncIterable<string> {
    for (const store of new Set([...this.namespaces.map((namespace) => namespace.cache), this.fallback])) {
      for await (const key of store.keys(prefix)) if (this.storeOf(key) === store) yield key;
    }
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    for (const store of new Set([...this.namespaces.map((namespace) => namespace.cache), this.fallback])) {
      await store.close?.();
    }
  }
}
