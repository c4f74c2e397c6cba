// `pnpm --filter @agent-tool-protocol/bench discovery-eval [flags]`: the discovery evaluation as a
// markdown table (recall@1/5/10, MRR and tokens per 10-result page, per configuration, spec and half).
//
//   --provider=<module>   embeddings provider for the third configuration: a module whose default
//                         export is an EmbeddingsLike ({ embedQuery, embedDocuments }) or a batch
//                         function (texts) => Promise<number[][]>; default: the catalog's HashingEmbeddings
//   --no-provider         only BM25 and the default
//   --original            also the published ATP 0.19.17 (installed on demand like `pnpm bench:original`;
//                         a Node 18–22 from PATH or ATP_ORIGINAL_NODE)
//   --spec=<name>         one spec (github, stripe, slack, asana)
//   --misses              list the DEV half's misses (never the test half's: do not tune on it)
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type EmbeddingProviderLike,
  loadSpecCatalog,
  runDiscoveryEval,
  standardConfigurations,
} from './harness.ts';
import { installOriginal, runOriginal } from './original/original.ts';
import { reportRows } from './report-rows.ts';
import { EVAL_SPECS, type EvalSpecName, provenance } from './specs.ts';
import { metricsTable } from './table.ts';
import { keywordFreeShare } from './task-checks.ts';
import { DISCOVERY_TASKS } from './tasks.ts';

const flag = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
const has = (name: string) => process.argv.includes(`--${name}`);

const onlySpec = flag('spec') as EvalSpecName | undefined;
const tasks = DISCOVERY_TASKS.filter((task) => onlySpec === undefined || task.spec === onlySpec);

/** The `--provider` module, or undefined for the harness's default (HashingEmbeddings). */
async function providerOption(): Promise<{ name: string; embeddings: EmbeddingProviderLike } | undefined> {
  const module = flag('provider');
  if (module === undefined) return undefined;
  const loaded = (await import(pathToFileURL(module).href)) as { default: EmbeddingProviderLike };
  return { name: basename(module).replace(/\.[cm]?[jt]s$/, ''), embeddings: loaded.default };
}

const out = (text: string) => process.stdout.write(`${text}\n`);

const configurations = standardConfigurations(has('no-provider') ? null : await providerOption());
const reports = await runDiscoveryEval({ tasks, configurations });
if (has('original'))
  reports.push(runOriginal(tasks, await installOriginal((line) => process.stderr.write(`${line}\n`))));

out('Specs:');
for (const spec of EVAL_SPECS) {
  if (onlySpec !== undefined && spec.name !== onlySpec) continue;
  const catalog = await loadSpecCatalog(spec);
  const own = tasks.filter((task) => task.spec === spec.name);
  out(
    `- ${spec.name}: ${provenance(catalog.loaded)} (${catalog.loaded.title} ${catalog.loaded.apiVersion}), ` +
      `${catalog.group.functions.length} operations, ${own.length} tasks, ` +
      `${(keywordFreeShare(own, catalog) * 100).toFixed(1)}% keyword-free`,
  );
}
out('');
for (const report of reports) {
  out(`- ${report.configuration}: ${report.description}`);
  for (const note of report.notes ?? []) out(`  - ${note}`);
}
out('');
out(metricsTable(reportRows(reports)));
if (has('misses')) {
  for (const report of reports) {
    out(`\nDev-half misses (not in the top 5), ${report.configuration}:`);
    for (const result of report.results) {
      if (result.task.split !== 'dev' || (result.outcome.rank !== null && result.outcome.rank <= 5)) continue;
      out(
        `- [${result.task.spec}] ${result.task.query} → want ${result.task.expected.join(' | ')}; got ${result.returned.slice(0, 3).join(', ')}`,
      );
    }
  }
}
