import { NamespacedCache } from '@agent-tool-protocol/engine';
import { MemoryCache } from '@agent-tool-protocol/protocol';

describe('NamespacedCache', () => {
  it('keeps each prefix in its own store and lists keys across them', async () => {
    const sessions = new MemoryCache();
    const rest = new MemoryCache();
    const cache = new NamespacedCache([{ prefixes: ['atp:session:'], cache: sessions }], rest);
    await cache.set('atp:session:a', 1);
    await cache.set('atp:exec:x:state', 2);
    expect(await sessions.get('atp:session:a')).toBe(1);
    expect(await rest.get('atp:exec:x:state')).toBe(2);
    expect(await sessions.has('atp:exec:x:state')).toBe(false);
    await cache.append('atp:exec:x:journal', 'e');
    expect(await cache.range('atp:exec:x:journal')).toEqual(['e']);
    const keys: string[] = [];
    for await (const key of cache.keys('atp:')) keys.push(key);
    expect(keys.sort()).toEqual(['atp:exec:x:journal', 'atp:exec:x:state', 'atp:session:a']);
    expect(await cache.delete('atp:session:a')).toBe(true);
    expect(sessions.size).toBe(0);
  });
});
