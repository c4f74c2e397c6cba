import { loadSpecCatalog, type SpecCatalog } from '../src/discovery-eval/harness.ts';
import { EVAL_SPECS, provenance } from '../src/discovery-eval/specs.ts';
import { assignSplits } from '../src/discovery-eval/split.ts';
import { isKeywordFree, keywordFreeShare, unknownOperations } from '../src/discovery-eval/task-checks.ts';
import { DISCOVERY_TASKS, readTaskFile } from '../src/discovery-eval/tasks.ts';

// Invariants of the discovery evaluation set against the four real specs it was written from.
describe('the discovery evaluation set', () => {
  const catalogs = new Map<string, SpecCatalog>();
  beforeAll(async () => {
    for (const spec of EVAL_SPECS) catalogs.set(spec.name, await loadSpecCatalog(spec));
  }, 120_000);

  it('has at least 240 tasks, at least 60 per spec, no duplicates', () => {
    expect(DISCOVERY_TASKS.length).toBeGreaterThanOrEqual(240);
    for (const spec of EVAL_SPECS) {
      expect(DISCOVERY_TASKS.filter((task) => task.spec === spec.name).length).toBeGreaterThanOrEqual(60);
    }
    const queries = DISCOVERY_TASKS.map((task) => `${task.spec}: ${task.query.toLowerCase()}`);
    expect(new Set(queries).size).toBe(queries.length);
    for (const task of DISCOVERY_TASKS) {
      expect(task.expected.length).toBeGreaterThan(0);
      expect(new Set(task.expected).size).toBe(task.expected.length);
    }
  });

  it('expects only operations the loaded specs have, from the spec files it was written against', () => {
    for (const spec of EVAL_SPECS) {
      const catalog = catalogs.get(spec.name)!;
      expect(unknownOperations(DISCOVERY_TASKS, catalog)).toEqual([]);
      expect(readTaskFile(spec.name).source).toBe(provenance(catalog.loaded));
    }
  });

  it('splits each spec once, by the seeded hash rule, into balanced halves', () => {
    for (const spec of EVAL_SPECS) {
      const tasks = readTaskFile(spec.name).tasks;
      expect(tasks.map((task) => task.split)).toEqual(assignSplits(tasks.map((task) => task.query)));
      const dev = tasks.filter((task) => task.split === 'dev').length;
      expect(Math.abs(dev - (tasks.length - dev))).toBeLessThanOrEqual(1);
    }
  });

  it('has at least half of each spec (and of each half) sharing no keyword with the target operation names', () => {
    const shares: Record<string, number> = {};
    for (const spec of EVAL_SPECS) {
      const catalog = catalogs.get(spec.name)!;
      shares[spec.name] = keywordFreeShare(DISCOVERY_TASKS, catalog);
      expect(shares[spec.name]).toBeGreaterThanOrEqual(0.5);
      for (const split of ['dev', 'test'] as const) {
        const half = DISCOVERY_TASKS.filter((task) => task.spec === spec.name && task.split === split);
        expect(
          half.filter((task) => isKeywordFree(task, catalog)).length / half.length,
        ).toBeGreaterThanOrEqual(0.45);
      }
    }
    // Reported in docs/discovery.md; printed by `pnpm --filter @agent-tool-protocol/bench discovery-eval`.
    expect(Object.keys(shares)).toEqual(['github', 'stripe', 'slack', 'asana']);
  });
});
