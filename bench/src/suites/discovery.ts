// Discovery: search quality on the GitHub evaluation set (keyword vs hybrid), the token cost of the
// first view of the GitHub API, and search latency over 10,000+ functions with embeddings precomputed.
// The catalog is reached through packages/catalog/eval (its dependencies live there).
import {
  Catalog,
  countTokens,
  crmGroup,
  evaluateDiscovery,
  filesystemGroup,
  githubGroup,
  HashingEmbeddings,
  loadGithubSpec,
} from '../../../packages/catalog/eval/discovery-eval.ts';
import { DISCOVERY_QUERIES } from '../../../packages/catalog/eval/discovery-queries.ts';
import { type BenchRow, type BenchScale, type BenchSuite, row, sample } from '../measure.ts';

const percent = (value: number) => Math.round(value * 1000) / 10;

function qualityRow(name: string, scores: { all: { recallAt5: number; mrr: number }; dev: { recallAt5: number }; test: { recallAt5: number; mrr: number } }, target: string): BenchRow {
  return {
    name,
    p50: percent(scores.all.recallAt5),
    p99: null,
    unit: '% recall@5',
    target,
    note: `MRR ${scores.all.mrr.toFixed(3)}; dev ${percent(scores.dev.recallAt5)}%, held-out ${percent(scores.test.recallAt5)}% (MRR ${scores.test.mrr.toFixed(3)}); ${DISCOVERY_QUERIES.length} queries`,
  };
}

export const discoverySuite: BenchSuite = {
  name: 'discovery',
  async run(scale: BenchScale): Promise<BenchRow[]> {
    const full = scale === 'full';
    const rows: BenchRow[] = [];
    const spec = await loadGithubSpec();
    const github = await githubGroup(spec);
    const embeddings = new HashingEmbeddings();

    // Quality: the evaluation set over GitHub + a custom CRM + an MCP filesystem group.
    const evalCatalog = new Catalog({ semanticSearch: { embeddings } });
    for (const group of [github, crmGroup(), filesystemGroup()]) evalCatalog.addGroup(group);
    await evalCatalog.prepareSemanticSearch();
    const evaluation = await evaluateDiscovery(evalCatalog, DISCOVERY_QUERIES);
    rows.push(qualityRow('search quality, keyword (BM25)', evaluation.keyword, '–'));
    rows.push(qualityRow('search quality, hybrid (BM25 + HashingEmbeddings)', evaluation.hybrid, '≥ BM25 + 10 points'));

    // Token budget: the default first view of GitHub's 1,200+ operations.
    const compact = countTokens(evalCatalog.getDefinitions({ apiGroups: ['github'], detail: 'compact' }).typescript);
    const fullTokens = countTokens(evalCatalog.getDefinitions({ apiGroups: ['github'] }).typescript);
    rows.push({
      name: `initial context, GitHub API (${github.functions.length} operations)`,
      p50: compact,
      p99: null,
      unit: 'tokens',
      target: '≤ 1,000',
      note: `compact definitions (gpt-tokenizer, o200k_base); full declarations: ${fullTokens.toLocaleString('en-US')} tokens`,
    });
    const oneFunction = countTokens(evalCatalog.getDefinitions({ functions: ['github.issues.create'] }).typescript);
    rows.push({ name: 'on-demand definitions, one function (github.issues.create)', p50: oneFunction, p99: null, unit: 'tokens', target: '–', note: '`?functions=github.issues.create`' });

    // Latency over 10,000+ functions: copies of the GitHub group (real names and descriptions).
    const copies = full ? 9 : 1;
    const big = new Catalog({ semanticSearch: { embeddings } });
    for (let copy = 0; copy < copies; copy++) big.addGroup({ ...github, name: `github${copy}` });
    const functions = big.listGroups().reduce((sum, group) => sum + group.functionCount, 0);
    const embedStarted = performance.now();
    await big.prepareSemanticSearch();
    const embedMs = performance.now() - embedStarted;
    rows.push({ name: `embedding ${functions.toLocaleString('en-US')} functions (HashingEmbeddings, cold)`, p50: embedMs, p99: null, unit: 'ms', target: '–', note: 'once per function text; then from memory or the cache provider' });
    const queries = DISCOVERY_QUERIES.map((item) => item.query);
    let next = 0;
    const iterations = full ? 500 : 5;
    const keyword = await sample(iterations, async () => big.search(queries[next++ % queries.length]!, { maxResults: 10 }));
    rows.push(row(`keyword search, ${functions.toLocaleString('en-US')} functions`, keyword, 'ms', '–', 'BM25'));
    const hybrid = await sample(iterations, () => big.searchHybrid(queries[next++ % queries.length]!, { maxResults: 10 }));
    rows.push(row(`hybrid search, ${functions.toLocaleString('en-US')} functions`, hybrid, 'ms', 'p50 ≤ 5 ms', 'embeddings precomputed; query embedding + BM25 + exact cosine scan + fusion'));
    return rows;
  },
};
