// Discovery: search quality on the GitHub evaluation set (keyword vs hybrid), the token cost of the
// first view of the GitHub API, and search latency over 10,000+ functions with embeddings precomputed.
import { type DiscoveryEvaluation, measureDiscovery } from '../discovery-eval/discovery-eval.ts';
import { DISCOVERY_QUERIES } from '../discovery-eval/discovery-queries.ts';
import { type BenchRow, type BenchScale, type BenchSuite, row } from '../measure.ts';

type Splits = DiscoveryEvaluation['keyword'];

const percent = (value: number) => Math.round(value * 1000) / 10;
const count = (value: number) => value.toLocaleString('en-US');

function qualityRow(name: string, scores: Splits, queries: number, target: string): BenchRow {
  return {
    name,
    p50: percent(scores.all.recallAt5),
    p99: null,
    unit: '% recall@5',
    target,
    note: `MRR ${scores.all.mrr.toFixed(3)}; dev half ${percent(scores.dev.recallAt5)}%, held-out half ${percent(scores.test.recallAt5)}% (MRR ${scores.test.mrr.toFixed(3)}); ${queries} queries`,
  };
}

export const discoverySuite: BenchSuite = {
  name: 'discovery',
  async run(scale: BenchScale): Promise<BenchRow[]> {
    const full = scale === 'full';
    const m = await measureDiscovery(DISCOVERY_QUERIES, { copies: full ? 9 : 1, iterations: full ? 500 : 5 });
    const { keyword, hybrid } = m.evaluation;
    return [
      qualityRow('search quality, keyword (BM25)', keyword, m.queries, '–'),
      qualityRow(
        'search quality, hybrid (BM25 + HashingEmbeddings)',
        hybrid,
        m.queries,
        '≥ BM25 + 10 points',
      ),
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
        name: `embedding ${count(m.functions)} functions (HashingEmbeddings, cold)`,
        p50: m.embedMs,
        p99: null,
        unit: 'ms',
        target: '–',
        note: 'once per function text; later from memory or the cache provider',
      },
      row(`keyword search, ${count(m.functions)} functions`, m.keywordMs, 'ms', '–', 'BM25'),
      row(
        `hybrid search, ${count(m.functions)} functions`,
        m.hybridMs,
        'ms',
        'p50 ≤ 5 ms',
        'embeddings precomputed; query embedding + BM25 + exact cosine scan + fusion',
      ),
    ];
  },
};
