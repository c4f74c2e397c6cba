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
      'provenance none: CPU-bound script (held out 2: text, regex)',
      'provenance ast: CPU-bound script (held out 2: text, regex)',
      'provenance none: CPU-bound script (held out 2: JSON, array methods)',
      'provenance ast: CPU-bound script (held out 2: JSON, array methods)',
      'provenance none: CPU-bound script (held out 2: nested loops)',
      'provenance ast: CPU-bound script (held out 2: nested loops)',
      'provenance none: CPU-bound script (held out (round 4): group-by report)',
      'provenance ast: CPU-bound script (held out (round 4): group-by report)',
      'provenance none: CPU-bound script (held out (round 4): CSV)',
      'provenance ast: CPU-bound script (held out (round 4): CSV)',
      'provenance none: CPU-bound script (held out (round 4): dates)',
      'provenance ast: CPU-bound script (held out (round 4): dates)',
      'provenance none: CPU-bound script (held out (round 4): search scoring)',
      'provenance ast: CPU-bound script (held out (round 4): search scoring)',
    ]);
    for (const r of rows) expect(r.p50).toBeGreaterThan(0);
    for (let index = 2; index < rows.length; index += 2) expect(rows[index]!.note).toMatch(/× none \(p50\)/);
  }, 120_000);
});
