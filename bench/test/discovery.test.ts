import { discoverySuite } from '../src/suites/discovery.ts';

// A smoke run of the discovery suite (one copy of the GitHub API instead of nine). No timing assertions.
describe('discovery bench suite', () => {
  it('reports search quality, the token budget and search latency', async () => {
    const rows = await discoverySuite.run('smoke');
    const byName = new Map(rows.map((r) => [r.name.replace(/[\d,]+ (functions|operations)/, 'N $1'), r]));
    const keyword = byName.get('search quality, keyword (BM25)')!;
    const hybrid = byName.get('search quality, hybrid (BM25 + HashingEmbeddings)')!;
    expect(hybrid.p50!).toBeGreaterThanOrEqual(keyword.p50! + 10);
    expect(byName.get('initial context, GitHub API (N operations)')!.p50!).toBeLessThanOrEqual(1000);
    expect(typeof byName.get('hybrid search, N functions')!.p50).toBe('number');
  }, 120_000);
});
