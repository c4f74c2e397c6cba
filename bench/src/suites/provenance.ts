import { MemoryCache, ProvenanceMode } from '@agent-tool-protocol/protocol';
import {
  createSecurityHooks,
  preventDataExfiltration,
  type SecurityHooks,
} from '@agent-tool-protocol/provenance';
import { createExecutor, createSimpleDispatcher, type Executor } from '@agent-tool-protocol/runtime';
import { type BenchRow, type BenchScale, type BenchSuite, percentile, row, sample } from '../measure.ts';
import { CALL_HEAVY, CPU_SCRIPTS, CPU_SCRIPTS_ROUND4, shop } from './provenance-scripts.ts';

const CLIENT = { clientId: 'bench', limits: { maxToolCalls: 10_000 } };

function setup(mode: ProvenanceMode): { executor: Executor; hooks: SecurityHooks } {
  const hooks = createSecurityHooks({
    provenanceMode: mode,
    policies: mode === ProvenanceMode.NONE ? [] : [preventDataExfiltration],
    user: ['me@corp.example'],
  });
  const executor = createExecutor({
    dispatcher: createSimpleDispatcher([shop()]),
    cache: new MemoryCache(),
    hooks,
    isolatePoolSize: 2,
  });
  return { executor, hooks };
}

export const provenanceSuite: BenchSuite = {
  name: 'provenance',
  async run(scale: BenchScale): Promise<BenchRow[]> {
    const full = scale === 'full';
    const iterations = full ? 200 : 3;
    const modes = [ProvenanceMode.NONE, ProvenanceMode.PROXY, ProvenanceMode.AST] as const;
    const setups = modes.map(setup);
    try {
      const run = async (executor: Executor) => {
        const result = await executor.execute(CALL_HEAVY, CLIENT);
        if (result.status !== 'completed' || result.result !== 100) {
          throw new Error(`provenance bench: expected 100, got ${JSON.stringify(result)}`);
        }
      };
      // Interleaved rounds, so machine noise hits every mode alike.
      const samples: number[][] = modes.map(() => []);
      for (const { executor } of setups) await sample(full ? 20 : 1, () => run(executor), 0);
      for (let round = 0; round < iterations; round++) {
        for (const [index, { executor }] of setups.entries()) {
          const started = performance.now();
          await run(executor);
          samples[index]!.push(performance.now() - started);
        }
      }
      const none = percentile(samples[0]!, 50);
      const rows = modes.map((mode, index) => {
        const ratio = percentile(samples[index]!, 50) / none;
        const target = mode === 'proxy' ? '≤ 1.2× none' : mode === 'ast' ? '≤ 3× none' : 'baseline';
        return row(
          `provenance ${mode}: execution with 100 API calls`,
          samples[index]!,
          'ms',
          target,
          mode === 'none'
            ? 'security hooks, no labels'
            : `${ratio.toFixed(2)}× none (p50), preventDataExfiltration`,
        );
      });
      // CPU-bound scripts: none vs ast, interleaved; both must return the same result. The round-4
      // held-out group runs after the development set, as a separate group of rows.
      const plain = setups[0]!.executor;
      const instrumented = setups[2]!.executor;
      for (const [label, code] of [...CPU_SCRIPTS, ...CPU_SCRIPTS_ROUND4]) {
        const reference = await plain.execute(code, CLIENT);
        const tracked = await instrumented.execute(code, CLIENT);
        if (
          reference.status !== 'completed' ||
          JSON.stringify(tracked.result) !== JSON.stringify(reference.result)
        ) {
          throw new Error(
            `provenance bench (${label}): ${JSON.stringify(reference)} vs ${JSON.stringify(tracked)}`,
          );
        }
        const times: [number[], number[]] = [[], []];
        for (let round = 0; round < (full ? 60 : 1); round++) {
          for (const [index, executor] of [plain, instrumented].entries()) {
            const started = performance.now();
            await executor.execute(code, CLIENT);
            times[index]!.push(performance.now() - started);
          }
        }
        const ratio = percentile(times[1], 50) / percentile(times[0], 50);
        rows.push(
          row(
            `provenance none: CPU-bound script (${label})`,
            times[0],
            'ms',
            'baseline',
            'loops, strings, array methods over tool data',
          ),
        );
        rows.push(
          row(
            `provenance ast: CPU-bound script (${label})`,
            times[1],
            'ms',
            '≤ 3× none',
            `${ratio.toFixed(2)}× none (p50)`,
          ),
        );
      }
      return rows;
    } finally {
      for (const { executor, hooks } of setups) {
        await executor.dispose();
        hooks.close();
      }
    }
  },
};
