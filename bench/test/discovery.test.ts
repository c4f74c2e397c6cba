import { discoverySuite } from '../src/suites/discovery.ts';

// A smoke run of the discovery suite (the two small specs, one copy of the GitHub API for latency).
// No timing assertions.
describe('discovery bench suite', () => {
  it('reports search quality per configuration, the token budgets and search latency', async () => {
    const rows = await discoverySuite.run('smoke');
    const byName = new Map(
      rows.map((r) => [r.name.replace(/[\d,]+ (functions|operations|tasks)/, 'N $1'), r]),
    );
    const quality = ['bm25', 'default', 'default+HashingEmbeddings'].map(
      (configuration) => byName.get(`search quality, ${configuration}, held-out half (N tasks)`)!,
    );
    for (const row of quality) {
      expect(row.unit).toBe('% recall@5');
      // A broken harness (ids not mapped, nothing returned) scores 0; plain BM25 finds some.
      expect(row.p50!).toBeGreaterThan(10);
      expect(row.p50!).toBeLessThanOrEqual(100);
      expect(row.note).toMatch(/R@1 [\d.]+, R@10 [\d.]+, MRR 0\.\d{3}; dev half R@5 [\d.]+/);
      expect(row.note).toContain('R@5 per spec (held out): slack ');
    }
    expect(byName.get('search result page, 10 results (default)')!.p50!).toBeGreaterThan(0);
    expect(byName.get('initial context, GitHub API (N operations)')!.p50!).toBeLessThanOrEqual(1000);
    expect(typeof byName.get('search (default ranking), N functions')!.p50).toBe('number');
    expect(typeof byName.get('hybrid search (+ HashingEmbeddings), N functions')!.p50).toBe('number');
    const build = byName.get('building the search indexes of N functions')!;
    expect(build.p50!).toBeGreaterThan(0);
    expect(build.note).toMatch(/event loop blocked at most \d+ ms/);
    expect(byName.get('loading the built-in word vectors')!.p50!).toBeGreaterThan(0);
  }, 180_000);
});
