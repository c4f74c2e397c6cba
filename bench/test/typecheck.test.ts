import { typecheckSuite } from '../src/suites/typecheck.ts';

// A smoke run of the type-check suite against the GitHub API. No timing assertions.
describe('typecheck bench suite', () => {
  it('checks the GitHub snippet cleanly and reports warm, cold and after-change latency', async () => {
    const rows = await typecheckSuite.run('smoke');
    expect(rows).toHaveLength(3);
    expect(rows[0]!.name).toMatch(/^type-check 30-line snippet, GitHub API \([\d,]+ functions\), warm$/);
    expect(rows[0]!.note).toMatch(/ 0 diagnostics$/);
    for (const r of rows) expect(typeof r.p50).toBe('number');
  }, 120_000);
});
