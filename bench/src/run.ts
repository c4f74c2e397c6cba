// Runs every benchmark suite and prints one markdown table. Add a suite: a new file in suites/
// exporting a BenchSuite, listed below.
import { type BenchRow, type BenchScale, type BenchSuite, markdownTable } from './measure.ts';
import { discoverySuite } from './suites/discovery.ts';
import { httpSuite } from './suites/http.ts';
import { runtimeSuite } from './suites/runtime.ts';

export const suites: BenchSuite[] = [runtimeSuite, httpSuite, discoverySuite];

const scale: BenchScale = process.argv.includes('--smoke') ? 'smoke' : 'full';
const only = process.argv.find((arg) => arg.startsWith('--suite='))?.slice('--suite='.length);
const rows: BenchRow[] = [];
for (const suite of suites) {
  if (only !== undefined && suite.name !== only) continue;
  rows.push(...(await suite.run(scale)));
}
process.stdout.write(`${markdownTable(rows)}\n`);
