import { validationSuite } from '../src/suites/validation.ts';

// A smoke run of the validation suite (a custom group and GitHub's spec). No timing assertions.
describe('validation bench suite', () => {
  it('measures per-call validation and GitHub schema compilation', async () => {
    const rows = await validationSuite.run('smoke');
    expect(rows.map((r) => r.name)).toEqual([
      'input validation, valid 10-field object',
      'input validation, 10-field object with 3 mistakes',
      expect.stringMatching(/^GitHub \(\d+ operations\): addGroup, input validation on$/),
      'GitHub: first call of a function (compiles its input schema)',
    ]);
    for (const r of rows) expect(typeof r.p50).toBe('number');
  }, 120_000);
});
