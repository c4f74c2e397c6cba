// Runs every benchmark suite and prints one markdown table. Add a suite: a new file in suites/
// exporting a BenchSuite, listed below.
import { type BenchRow, type BenchScale, type BenchSuite, markdownTable } from './measure.ts';
import { writeBenchmarksDoc } from './report.ts';
import { adaptersSuite } from './suites/adapters.ts';
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
];

const scale: BenchScale = process.argv.includes('--smoke') ? 'smoke' : 'full';
const only = process.argv.find((arg) => arg.startsWith('--suite='))?.slice('--suite='.length);
const rows: BenchRow[] = [];
for (const suite of suites) {
  if (only !== undefined && suite.name !== only) continue;
  rows.push(...(await suite.run(scale)));
}
const table = markdownTable(rows);
process.stdout.write(`${table}\n`);
// Only a complete run is the project's record of its numbers.
if (scale === 'full' && only === undefined) writeBenchmarksDoc(table);
