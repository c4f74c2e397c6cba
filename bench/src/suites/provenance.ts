import { type APIGroup, MemoryCache, ProvenanceMode } from '@agent-tool-protocol/protocol';
import {
  createSecurityHooks,
  preventDataExfiltration,
  type SecurityHooks,
} from '@agent-tool-protocol/provenance';
import { createExecutor, createSimpleDispatcher, type Executor } from '@agent-tool-protocol/runtime';
import { type BenchRow, type BenchScale, type BenchSuite, percentile, row, sample } from '../measure.ts';

const CLIENT = { clientId: 'bench', limits: { maxToolCalls: 10_000 } };

/** 100 sequential API calls; each result is read, transformed and collected, then one send at the end. */
const CODE = `
const lines = [];
for (let i = 0; i < 100; i++) {
  const item = await api.shop.item({ id: i });
  lines.push(item.id + ': ' + item.title.toUpperCase() + (item.tags.length > 1 ? \` [\${item.tags.join(', ')}]\` : ''));
}
await api.shop.notify({ to: 'me@corp.example', text: lines.slice(0, 5).join('\\n') });
return lines.length;`;

function shop(): APIGroup {
  return {
    name: 'shop',
    type: 'custom',
    functions: [
      {
        name: 'item',
        metadata: { operationType: 'read', sensitivity: 'internal' },
        handler: (input: { id: number }) => ({
          id: `SKU-${input.id}`,
          title: `Item number ${input.id}`,
          price: 10 + input.id,
          tags: ['new', input.id % 2 === 0 ? 'even' : 'odd'],
          description: 'A perfectly ordinary product with a perfectly ordinary description.',
        }),
      },
      { name: 'notify', metadata: { operationType: 'write' }, handler: () => ({ ok: true }) },
    ],
  };
}

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
        const result = await executor.execute(CODE, CLIENT);
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
      return rows;
    } finally {
      for (const { executor, hooks } of setups) {
        await executor.dispose();
        hooks.close();
      }
    }
  },
};
