import { randomSeed } from '../src/execution/seeds.js';

describe('execution seeds', () => {
  it('are four 32-bit integers, never the same twice, also across refills of the pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const seed = randomSeed();
      expect(seed).toHaveLength(4);
      for (const part of seed)
        expect(Number.isInteger(part) && part >= -(2 ** 31) && part < 2 ** 31).toBe(true);
      seen.add(seed.join(','));
    }
    expect(seen.size).toBe(1000);
  });
});
