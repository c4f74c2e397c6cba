import { CacheFullError, ErrorCode, MemoryCache } from '@agent-tool-protocol/protocol';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('MemoryCache', () => {
  it('stores copies, never shared references', async () => {
    const cache = new MemoryCache();
    const value = { nested: { n: 1 } };
    await cache.set('k', value);
    value.nested.n = 2;
    const read = await cache.get<typeof value>('k');
    expect(read).toEqual({ nested: { n: 1 } });
    read!.nested.n = 3;
    expect(await cache.get('k')).toEqual({ nested: { n: 1 } });
  });

  it('expires keys after their TTL', async () => {
    const time = clock();
    const cache = new MemoryCache({ now: time.now });
    await cache.set('k', 'v', 10);
    time.advance(9_999);
    expect(await cache.get('k')).toBe('v');
    time.advance(1);
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.has('k')).toBe(false);
  });

  it('evicts the least recently used key beyond maxEntries', async () => {
    const cache = new MemoryCache({ maxEntries: 2 });
    await cache.set('a', 1);
    await cache.set('b', 2);
    await cache.get('a');
    await cache.set('c', 3);
    expect(await cache.has('a')).toBe(true);
    expect(await cache.has('b')).toBe(false);
    expect(await cache.has('c')).toBe(true);
  });

  it('setIfAbsent acts as a lock and deleteIfEquals releases only the owner', async () => {
    const cache = new MemoryCache();
    expect(await cache.setIfAbsent('lock', 'owner-1', 5)).toBe(true);
    expect(await cache.setIfAbsent('lock', 'owner-2', 5)).toBe(false);
    expect(await cache.deleteIfEquals('lock', 'owner-2')).toBe(false);
    expect(await cache.deleteIfEquals('lock', 'owner-1')).toBe(true);
    expect(await cache.setIfAbsent('lock', 'owner-2', 5)).toBe(true);
  });

  it('increments counters and appends to lists in order', async () => {
    const cache = new MemoryCache();
    expect(await cache.increment('n')).toBe(1);
    expect(await cache.increment('n', 5)).toBe(6);
    for (let i = 0; i < 5; i++) expect(await cache.append('journal', { i })).toBe(i + 1);
    expect(await cache.range('journal')).toEqual([0, 1, 2, 3, 4].map((i) => ({ i })));
    expect(await cache.range('journal', 1, 2)).toEqual([{ i: 1 }, { i: 2 }]);
    expect(await cache.range('journal', -2)).toEqual([{ i: 3 }, { i: 4 }]);
    expect(await cache.range('missing')).toEqual([]);
    await cache.set('scalar', 1);
    await expect(cache.append('scalar', 2)).rejects.toThrow('does not hold a list');
  });

  it('lists keys by prefix and updates TTLs', async () => {
    const time = clock();
    const cache = new MemoryCache({ now: time.now });
    await cache.set('exec:1', 1);
    await cache.set('exec:2', 2);
    await cache.set('session:1', 3);
    const keys: string[] = [];
    for await (const key of cache.keys('exec:')) keys.push(key);
    expect(keys.sort()).toEqual(['exec:1', 'exec:2']);
    expect(await cache.expire('exec:1', 1)).toBe(true);
    expect(await cache.expire('nope', 1)).toBe(false);
    time.advance(1_000);
    expect(await cache.get('exec:1')).toBeUndefined();
  });

  it('evicts least recently used keys beyond maxBytes, counting list items as they are appended', async () => {
    const cache = new MemoryCache({ maxBytes: 300 });
    await cache.set('a', 'x'.repeat(100));
    await cache.set('b', 'y'.repeat(100));
    await cache.get('a');
    await cache.set('c', 'z'.repeat(100));
    expect(await cache.has('a')).toBe(true);
    expect(await cache.has('b')).toBe(false);
    expect(await cache.has('c')).toBe(true);
    expect(cache.bytes).toBeLessThanOrEqual(300);
    await cache.delete('a');
    await cache.delete('c');
    expect(cache.bytes).toBe(0);
    await cache.set('other', 'o'.repeat(100));
    for (let i = 0; i < 10; i++) await cache.append('list', 'q'.repeat(20));
    expect(cache.bytes).toBeLessThanOrEqual(300);
    expect(await cache.range('list')).toHaveLength(10);
    expect(await cache.has('other')).toBe(false);
    // A value larger than the whole budget can never fit.
    await expect(cache.set('huge', 'h'.repeat(400))).rejects.toThrow(CacheFullError);
  });

  it('in reject mode keeps every key and refuses the write that does not fit (expired keys are purged first)', async () => {
    const time = clock();
    const cache = new MemoryCache({
      maxEntries: 2,
      whenFull: 'reject',
      label: 'session store',
      now: time.now,
    });
    await cache.set('a', 1, 10);
    await cache.set('b', 2);
    const refused = cache.set('c', 3);
    await expect(refused).rejects.toThrow(/session store is full/);
    await expect(cache.set('c', 3)).rejects.toMatchObject({
      code: ErrorCode.PROVIDER_ERROR,
      httpStatus: 503,
    });
    expect(await cache.get('a')).toBe(1);
    expect(await cache.get('b')).toBe(2);
    // Overwriting a stored key needs no room.
    await cache.set('b', 22);
    time.advance(10_000);
    await cache.set('c', 3);
    expect(await cache.get('c')).toBe(3);
  });
});
