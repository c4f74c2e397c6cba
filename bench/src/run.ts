// Runs every benchmark suite and prints one markdown table. Add a suite: a new file in suites/
// exporting a BenchSuite, listed below.
import { writeSections } from './doc-sections.ts';
import { type BenchRow, type BenchScale, type BenchSuite, markdownTable } from './measure.ts';
import { benchmarkSections } from './report.ts';
import { adaptersSuite } from './suites/adapters.ts';
import { compareOriginalSuite } from './suites/compare-original.ts';
import { discoverySuite } from './suites/discovery.ts';
import { httpSuite } from './suites/http.ts';
import { provenanceSuite } from './suites/provenance.ts';
import { runtimeSuite } from './suites/runtime.ts';
import { scenariosSuite } from './suites/scenarios.ts';
import { typecheckSuite } from './suites/typecheck.ts';
import { validationSuite } from './suites/validation.ts';

export const suites: BenchSuite[] = [
  runtimeSuite,
  httpSuite,
  adaptersSuite,
  discoverySuite,
  typecheckSuite,
  validationSuite,
  provenanceSuite,
  scenariosSuite,
  compareOriginalSuite,
];

const scale: BenchScale = process.argv.includes('--smoke') ? 'smoke' : 'full';
const only = process.argv.find((arg) => arg.startsWith('--suite='))?.slice('--suite='.length);
const rows: BenchRow[] = [];
const ran: BenchSuite[] = [];
for (const suite of suites) {
  if (only !== undefined && suite.name !== only) continue;
  rows.push(...(await suite.run(scale)));
  ran.push(suite);
}
process.stdout.write(`${markdownTable(rows)}\n`);
if (scale === 'full') {
  // Only a complete run is the project's record of the whole table; a suite's own sections (scenario
  // tables, the side-by-side table) are self-contained and stamped, so a run of that suite alone writes them.
  writeSections([
    ...(only === undefined ? benchmarkSections(rows) : []),
    ...ran.flatMap((suite) => suite.documents?.() ?? []),
  ]);
}
