// Discovery: search quality on the four-spec evaluation (BM25, the server's default, the default
// with an embeddings provider, and ATP 0.19 when a Node 20 binary is given), the tokens of a result
// page and of the first view of the GitHub API, and search latency over 10,000+ functions.
import { type ConfigurationReport, runDiscoveryEval } from '../discovery-eval/harness.ts';
import { measureDiscoveryCosts } from '../discovery-eval/latency.ts';
import { installOriginal, runOriginal } from '../discovery-eval/original/original.ts';
import type { EvalSpecName } from '../discovery-eval/specs.ts';
import { DISCOVERY_TASKS } from '../discovery-eval/tasks.ts';
import { type BenchRow, type BenchScale, type BenchSuite, row } from '../measure.ts';

const percent = (value: number) => Math.round(value * 1000) / 10;
const count = (value: number) => value.toLocaleString('en-US');

/** One row per configuration: recall@5 on the held-out half, the rest in the note. */
export function qualityRow(report: ConfigurationReport): BenchRow {
  const { dev, test } = report.overall;
  const targeted = report.configuration.startsWith('default');
  const perSpec = Object.entries(report.bySpec)
    .map(([spec, metrics]) => `${spec} ${percent(metrics.test.recallAt5)}`)
    .join(', ');
  return {
    name: `search quality, ${report.configuration}, held-out half (${test.tasks} tasks)`,
    p50: percent(test.recallAt5),
    p99: null,
    unit: '% recall@5',
    target: targeted ? '≥ 70 (R@10 ≥ 85, MRR ≥ 0.5, R@1 ≥ 45)' : '–',
    ...(targeted
      ? {
          met: test.recallAt5 >= 0.7 && test.recallAt10 >= 0.85 && test.mrr >= 0.5 && test.recallAt1 >= 0.45,
        }
      : {}),
    note:
      `R@1 ${percent(test.recallAt1)}, R@10 ${percent(test.recallAt10)}, MRR ${test.mrr.toFixed(3)}; ` +
      `dev half R@5 ${percent(dev.recallAt5)}, MRR ${dev.mrr.toFixed(3)}; R@5 per spec (held out): ${perSpec}; ` +
      `${Math.round(report.overall.all.meanTokens)} tokens per 10 results`,
  };
}

export const discoverySuite: BenchSuite = {
  name: 'discovery',
  async run(scale: BenchScale): Promise<BenchRow[]> {
    const full = scale === 'full';
    // Smoke runs use the two small specs only.
    const specs: EvalSpecName[] = full ? ['github', 'stripe', 'slack', 'asana'] : ['slack', 'asana'];
    const tasks = DISCOVERY_TASKS.filter((task) => (specs as string[]).includes(task.spec));
    const reports = await runDiscoveryEval({ tasks });
    // ATP 0.19 needs a Node 18–22 and its own install (shared with the side-by-side suite).
    const notRun: BenchRow[] = [];
    if (full) {
      try {
        reports.push(runOriginal(tasks, await installOriginal((line) => process.stderr.write(`${line}\n`))));
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        notRun.push({
          name: 'discovery, ATP 0.19.17',
          p50: null,
          p99: null,
          unit: '–',
          target: '–',
          note: `not run: ${reason}`,
        });
      }
    }
    const byName = new Map(reports.map((report) => [report.configuration, report]));
    const defaultPage = byName.get('default')!.overall.all.meanTokens;
    const m = await measureDiscoveryCosts(
      tasks.map((task) => task.query),
      { copies: full ? 9 : 1, iterations: full ? 500 : 5 },
    );
    return [
      ...reports.map(qualityRow),
      ...notRun,
      {
        name: 'search result page, 10 results (default)',
        p50: Math.round(defaultPage),
        p99: null,
        unit: 'tokens',
        target: '≤ 600',
        note: `mean over ${tasks.length} tasks of the /api/search JSON response (gpt-tokenizer, o200k_base)`,
      },
      {
        name: `initial context, GitHub API (${count(m.githubOperations)} operations)`,
        p50: m.compactTokens,
        p99: null,
        unit: 'tokens',
        target: '≤ 1,000',
        note: `compact definitions (gpt-tokenizer, o200k_base); full declarations: ${count(m.fullTokens)} tokens`,
      },
      {
        name: 'definitions of one function on demand (github.issues.create)',
        p50: m.oneFunctionTokens,
        p99: null,
        unit: 'tokens',
        target: '–',
        note: '`?functions=github.issues.create`: signature, input and output types',
      },
      {
        name: 'loading the built-in word vectors',
        p50: m.modelLoadMs,
        p99: null,
        unit: 'ms',
        target: '≤ 1,000',
        note: 'read and decode model/api-word-vectors.bin (lazy: first search or server start)',
      },
      {
        name: `building the search indexes of ${count(m.functions)} functions`,
        p50: m.indexBuildMs,
        p99: null,
        unit: 'ms',
        target: '–',
        note:
          `in the background at server start (prepareSemanticSearch); CPU ${Math.round(m.indexBuildCpuMs)} ms; ` +
          `event loop blocked at most ${Math.round(m.indexBuildMaxBlockMs)} ms; ` +
          `indexes hold ${Number.isNaN(m.indexMemoryMb) ? '?' : Math.round(m.indexMemoryMb)} MB`,
      },
      {
        name: `embedding ${count(m.functions)} functions (HashingEmbeddings, cold)`,
        p50: m.embedMs,
        p99: null,
        unit: 'ms',
        target: '–',
        note: 'once per function text; later from memory or the cache provider',
      },
      row(`keyword search, ${count(m.functions)} functions`, m.keywordMs, 'ms', '–', 'BM25F'),
      row(
        `search (default ranking), ${count(m.functions)} functions`,
        m.defaultMs,
        'ms',
        'p50 ≤ 5 ms',
        `/api/search without a provider: BM25F + word vectors; CPU ${m.defaultCpuMs.toFixed(2)} ms per search`,
      ),
      row(
        `hybrid search (+ HashingEmbeddings), ${count(m.functions)} functions`,
        m.hybridMs,
        'ms',
        '–',
        `embeddings precomputed; query embedding + default ranking + exact cosine scan (256 dimensions) + fusion; CPU ${m.hybridCpuMs.toFixed(2)} ms per search`,
      ),
    ];
  },
};
