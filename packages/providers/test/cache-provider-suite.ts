import type { CacheProvider } from '@agent-tool-protocol/protocol';

/** Builds a fresh, empty cache for one test. */
export type CacheFactory = () => CacheProvider | Promise<CacheProvider>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of iterable) keys.push(key);
  return keys.sort();
}

/**
 * The contract every CacheProvider implementation must pass (MemoryCache, RedisCache, and any
 * third-party provider: import this file and call it with a factory).
 */
export function describeCacheProvider(name: string, factory: CacheFactory): void {
  describe(`CacheProvider contract: ${name}`, () => {
    let cache: CacheProvider;

    beforeEach(async () => {
      cache = await factory();
    });

    afterEach(async () => {
      await cache.close?.();
    });

    describe('get / set / delete / has', () => {
      it('round-trips every JSON value type', async () => {
        const values: Record<string, unknown> = {
          object: { a: 1, nested: { list: [1, 'two', null, true] } },
          array: [1, 2, 3],
          string: 'hello "world"',
          number: 42.5,
          zero: 0,
          boolean: false,
          null: null,
        };
        for (const [key, value] of Object.entries(values)) await cache.set(key, value);
        for (const [key, value] of Object.entries(values)) expect(await cache.get(key)).toEqual(value);
      });

      it('answers undefined and false for a missing key', async () => {
        expect(await cache.get('missing')).toBeUndefined();
        expect(await cache.has('missing')).toBe(false);
        expect(await cache.delete('missing')).toBe(false);
      });

      it('stores a copy: later changes to the written object do not leak in', async () => {
        const value = { n: 1 };
        await cache.set('copy', value);
        value.n = 2;
        expect(await cache.get('copy')).toEqual({ n: 1 });
      });

      it('overwrites, deletes and reports presence', async () => {
        await cache.set('k', 'first');
        await cache.set('k', 'second');
        expect(await cache.get('k')).toBe('second');
        expect(await cache.has('k')).toBe(true);
        expect(await cache.delete('k')).toBe(true);
        expect(await cache.has('k')).toBe(false);
        expect(await cache.get('k')).toBeUndefined();
      });

      it('expires a key after its TTL and keeps keys with a longer TTL or none', async () => {
        await cache.set('short', 'v', 0.2);
        await cache.set('long', 'v', 60);
        await cache.set('forever', 'v');
        await sleep(500);
        expect(await cache.get('short')).toBeUndefined();
        expect(await cache.has('short')).toBe(false);
        expect(await cache.get('long')).toBe('v');
        expect(await cache.get('forever')).toBe('v');
      });
    });

    describe('setIfAbsent (lock acquire)', () => {
      it('sets only the first time and keeps the first value', async () => {
        expect(await cache.setIfAbsent('lock', 'owner-1', 30)).toBe(true);
        expect(await cache.setIfAbsent('lock', 'owner-2', 30)).toBe(false);
        expect(await cache.get('lock')).toBe('owner-1');
      });

      it('lets exactly one of many concurrent callers win', async () => {
        const results = await Promise.all(
          Array.from({ length: 25 }, (_, i) => cache.setIfAbsent('race', `owner-${i}`, 30)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.indexOf(true);
        expect(await cache.get('race')).toBe(`owner-${winner}`);
      });

      it('can be acquired again once the TTL has passed', async () => {
        expect(await cache.setIfAbsent('lease', 'a', 0.2)).toBe(true);
        await sleep(500);
        expect(await cache.setIfAbsent('lease', 'b', 30)).toBe(true);
        expect(await cache.get('lease')).toBe('b');
      });
    });

    describe('deleteIfEquals (lock release)', () => {
      it('deletes only when the stored value equals the expected one', async () => {
        await cache.set('lock', { owner: 'a', n: 1 });
        expect(await cache.deleteIfEquals('lock', { owner: 'b', n: 1 })).toBe(false);
        expect(await cache.has('lock')).toBe(true);
        expect(await cache.deleteIfEquals('lock', { owner: 'a', n: 1 })).toBe(true);
        expect(await cache.has('lock')).toBe(false);
        expect(await cache.deleteIfEquals('lock', { owner: 'a', n: 1 })).toBe(false);
      });

      it('releases a string-valued lock taken with setIfAbsent', async () => {
        await cache.setIfAbsent('lock', 'token-123', 30);
        expect(await cache.deleteIfEquals('lock', 'token-12')).toBe(false);
        expect(await cache.deleteIfEquals('lock', 'token-123')).toBe(true);
        expect(await cache.setIfAbsent('lock', 'token-456', 30)).toBe(true);
      });
    });

    describe('increment', () => {
      it('creates the key with the amount and adds to it afterwards', async () => {
        expect(await cache.increment('n')).toBe(1);
        expect(await cache.increment('n')).toBe(2);
        expect(await cache.increment('n', 5)).toBe(7);
        expect(await cache.increment('n', -10)).toBe(-3);
        expect(await cache.get('n')).toBe(-3);
      });

      it('adds to a number written with set', async () => {
        await cache.set('n', 10);
        expect(await cache.increment('n', 2)).toBe(12);
      });

      it('loses no update under concurrency', async () => {
        await Promise.all(Array.from({ length: 50 }, () => cache.increment('counter', 1, 60)));
        expect(await cache.get('counter')).toBe(50);
      });

      it('applies the TTL when it creates the key', async () => {
        expect(await cache.increment('window', 1, 0.2)).toBe(1);
        await sleep(500);
        expect(await cache.has('window')).toBe(false);
        expect(await cache.increment('window', 1, 0.2)).toBe(1);
      });

      it('rejects a key that does not hold a number', async () => {
        await cache.set('text', 'abc');
        await expect(cache.increment('text')).rejects.toThrow(/does not hold a number/);
        expect(await cache.get('text')).toBe('abc');
      });
    });

    describe('append / range (journals)', () => {
      it('appends in order and returns the new length', async () => {
        expect(await cache.append('journal', { seq: 0 })).toBe(1);
        expect(await cache.append('journal', { seq: 1 })).toBe(2);
        expect(await cache.append('journal', 'two')).toBe(3);
        expect(await cache.range('journal')).toEqual([{ seq: 0 }, { seq: 1 }, 'two']);
      });

      it('slices inclusively with negative indexes counted from the end, like LRANGE', async () => {
        for (let i = 0; i < 6; i++) await cache.append('list', i);
        expect(await cache.range('list', 0, -1)).toEqual([0, 1, 2, 3, 4, 5]);
        expect(await cache.range('list', 1, 3)).toEqual([1, 2, 3]);
        expect(await cache.range('list', -2)).toEqual([4, 5]);
        expect(await cache.range('list', -2, -2)).toEqual([4]);
        expect(await cache.range('list', 4, 100)).toEqual([4, 5]);
        expect(await cache.range('list', 10, 20)).toEqual([]);
        expect(await cache.range('list', 3, 1)).toEqual([]);
        expect(await cache.range('list', -100, 1)).toEqual([0, 1]);
      });

      it('answers an empty list for a missing key', async () => {
        expect(await cache.range('nothing')).toEqual([]);
      });

      it('keeps every item when many appends race', async () => {
        const lengths = await Promise.all(Array.from({ length: 40 }, (_, i) => cache.append('race', i)));
        expect([...lengths].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        const items = await cache.range<number>('race');
        expect([...items].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
      });

      it('returns the whole list from get', async () => {
        await cache.append('journal', 'a');
        await cache.append('journal', { b: 1 });
        expect(await cache.get('journal')).toEqual(['a', { b: 1 }]);
        expect(await cache.has('journal')).toBe(true);
        expect(await cache.delete('journal')).toBe(true);
        expect(await cache.range('journal')).toEqual([]);
      });

      it('applies the TTL when it creates the list', async () => {
        await cache.append('temp', 1, 0.2);
        await sleep(500);
        expect(await cache.range('temp')).toEqual([]);
      });

      it('rejects list operations on a key that does not hold a list', async () => {
        await cache.set('scalar', 5);
        await expect(cache.append('scalar', 1)).rejects.toThrow(/does not hold a list/);
        await expect(cache.range('scalar')).rejects.toThrow(/does not hold a list/);
        expect(await cache.get('scalar')).toBe(5);
      });
    });

    describe('expire', () => {
      it('answers false for a missing key', async () => {
        expect(await cache.expire('missing', 10)).toBe(false);
      });

      it('sets a new TTL on an existing key, list or counter', async () => {
        await cache.set('value', 1);
        await cache.append('list', 1);
        await cache.increment('counter');
        for (const key of ['value', 'list', 'counter']) expect(await cache.expire(key, 0.2)).toBe(true);
        await sleep(500);
        for (const key of ['value', 'list', 'counter']) expect(await cache.has(key)).toBe(false);
      });

      it('extends a TTL so the key outlives its first deadline', async () => {
        await cache.set('session', 's', 1);
        expect(await cache.expire('session', 60)).toBe(true);
        await sleep(1_300);
        expect(await cache.get('session')).toBe('s');
      });
    });

    describe('keys', () => {
      it('lists exactly the keys with the prefix', async () => {
        await cache.set('session:a', 1);
        await cache.set('session:b', 2);
        await cache.append('session:journal', 1);
        await cache.set('sessions', 3);
        await cache.set('other:a', 4);
        expect(await collect(cache.keys('session:'))).toEqual(['session:a', 'session:b', 'session:journal']);
        expect(await collect(cache.keys('nothing:'))).toEqual([]);
      });

      it('treats glob characters in the prefix literally', async () => {
        await cache.set('odd*[x]?:1', 1);
        await cache.set('odd-x:1', 2);
        await cache.set('oddy:1', 3);
        expect(await collect(cache.keys('odd*[x]?:'))).toEqual(['odd*[x]?:1']);
      });

      it('returns each of many keys exactly once', async () => {
        const expected = Array.from({ length: 700 }, (_, i) => `bulk:${String(i).padStart(4, '0')}`);
        await Promise.all(expected.map((key) => cache.set(key, key)));
        await cache.set('bulkier', 1);
        expect(await collect(cache.keys('bulk:'))).toEqual(expected);
      });

      it('skips expired keys', async () => {
        await cache.set('t:gone', 1, 0.2);
        await cache.set('t:kept', 1);
        await sleep(500);
        expect(await collect(cache.keys('t:'))).toEqual(['t:kept']);
      });
    });

    it('answers ping with true while reachable', async () => {
      if (cache.ping) expect(await cache.ping()).toBe(true);
      else expect(cache.ping).toBeUndefined();
    });
  });
}
