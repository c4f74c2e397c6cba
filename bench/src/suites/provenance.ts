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

/**
 * CPU-bound work over tool data: loops, string building, array methods. The `ast` helpers were profiled
 * and tuned on CPU_TUNED only; CPU_HELD_OUT was written at the same time and only ever measured.
 */
const CPU_TUNED = `
const items = await api.shop.list({ n: 300 });
let report = '';
const byTag = {};
for (const item of items) {
  report += item.id + ': ' + item.title.toUpperCase() + '\\n';
  for (const tag of item.tags) byTag[tag] = (byTag[tag] || 0) + 1;
}
const prices = items.map((i) => i.price * 1.2).filter((p) => p > 20).sort((a, b) => a - b);
let checksum = 0;
for (let i = 0; i < 20000; i++) checksum = (checksum * 31 + i) % 1000003;
const words = report.split(/\\s+/).filter(Boolean).map((w) => w.toLowerCase());
return { lines: report.length, tags: Object.keys(byTag).length, top: prices.slice(-3), checksum, words: words.length };`;

const CPU_HELD_OUT = `
const orders = await api.shop.orders({ n: 200 });
const rows = [];
let total = 0;
for (let i = 0; i < orders.length; i++) {
  const o = orders[i];
  const amount = o.lines.reduce((sum, l) => sum + l.qty * l.unit, 0);
  total += amount;
  rows.push(\`\${o.customer.padEnd(12)}|\${String(amount.toFixed(2)).padStart(10)}|\${o.lines.map((l) => l.sku).join(',')}\`);
}
const matrix = Array.from({ length: 60 }, (_, r) => Array.from({ length: 60 }, (_, c) => (r * c) % 7));
let trace = 0;
for (let k = 0; k < 60; k++) for (let j = 0; j < 60; j++) trace += matrix[k][j] * matrix[j][k];
const customers = [...new Set(orders.map((o) => o.customer))].sort();
const csv = rows.join('\\n');
const big = orders.filter((o) => o.lines.length > 2).map((o) => o.id);
return { total: Math.round(total), trace, customers: customers.length, csv: csv.length, big: big.length };`;

const TITLES = ['Widget', 'Gadget', 'Doohickey', 'Sprocket', 'Gizmo'];

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
      {
        name: 'list',
        metadata: { operationType: 'read', sensitivity: 'internal' },
        handler: (input: { n: number }) =>
          Array.from({ length: input.n }, (_, i) => ({
            id: `SKU-${i}`,
            title: `${TITLES[i % 5]} number ${i}`,
            price: 5 + (i % 40),
            tags: ['new', i % 2 ? 'odd' : 'even', `t${i % 9}`],
          })),
      },
      {
        name: 'orders',
        metadata: { operationType: 'read', sensitivity: 'internal' },
        handler: (input: { n: number }) =>
          Array.from({ length: input.n }, (_, i) => ({
            id: `O-${i}`,
            customer: `cust-${i % 23}`,
            lines: Array.from({ length: 1 + (i % 4) }, (_, j) => ({
              sku: `SKU-${i + j}`,
              qty: 1 + j,
              unit: 3.5 + j,
            })),
          })),
      },
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
      // CPU-bound scripts: none vs ast, interleaved; both must return the same result.
      const plain = setups[0]!.executor;
      const instrumented = setups[2]!.executor;
      for (const [label, code] of [
        ['tuned on', CPU_TUNED],
        ['held out', CPU_HELD_OUT],
      ] as const) {
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
