import { markdownTable, percentile } from '../src/measure.ts';
import { runtimeSuite } from '../src/suites/runtime.ts';

// A smoke test: every suite runs with tiny iteration counts. No timing assertions.
describe('bench suites', () => {
  it('runtime suite produces every row', async () => {
    const rows = await runtimeSuite.run('smoke');
    const names = rows.map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'isolated-vm isolate + context (floor)',
        'trivial execution, in-process (warm pool)',
        'channel round trip, bare isolated-vm (floor)',
        'channel round trip, a task per call (floor of the design)',
        'memory per hot paused execution',
        'throughput at concurrency 64',
      ]),
    );
    for (const r of rows) expect(typeof r.p50).toBe('number');
    expect(markdownTable(rows)).toContain('| trivial execution, in-process (warm pool) |');
  }, 60_000);

  it('percentile picks nearest-rank values', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([5, 1, 3, 2, 4], 99)).toBe(5);
  });
});

describe('http suite', () => {
  it('runs a real server and reports every HTTP row', async () => {
    const { httpSuite } = await import('../src/suites/http.ts');
    const rows = await httpSuite.run('smoke');
    expect(rows.map((r) => r.name)).toEqual([
      'HTTP: trivial execution (client → server → sandbox)',
      'HTTP: trivial execution, back-to-back',
      'HTTP: execution with one API call',
      'HTTP: throughput at concurrency 4',
      'HTTP: search over 10,000 functions',
    ]);
    for (const r of rows) expect(r.p50).toBeGreaterThan(0);
    // The same client also ran the trivial execution against the floor server, in alternating rounds.
    expect(rows[0]!.note).toMatch(/; floor [\d.]+ ms \(the same client and idle/);
  }, 120_000);
});
