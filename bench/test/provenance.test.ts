import { provenanceSuite } from '../src/suites/provenance.ts';

// A smoke run of the provenance suite (tiny iteration counts, no timing assertions).
describe('provenance suite', () => {
  it('reports none, proxy and ast for 100 API calls, and none and ast for CPU-bound scripts', async () => {
    const rows = await provenanceSuite.run('smoke');
    expect(rows.map((r) => r.name)).toEqual([
      'provenance none: execution with 100 API calls',
      'provenance proxy: execution with 100 API calls',
      'provenance ast: execution with 100 API calls',
      'provenance none: CPU-bound script (tuned on)',
      'provenance ast: CPU-bound script (tuned on)',
      'provenance none: CPU-bound script (held out)',
      'provenance ast: CPU-bound script (held out)',
    ]);
    for (const r of rows) expect(r.p50).toBeGreaterThan(0);
    expect(rows[2]!.note).toMatch(/× none \(p50\)/);
    expect(rows[4]!.note).toMatch(/× none \(p50\)/);
    expect(rows[6]!.note).toMatch(/× none \(p50\)/);
  }, 120_000);
});
