// `node --no-node-snapshot src/scenarios/main.ts [--smoke] [--latency=0,300] [--only=email,pr-review] [--real-model]`
// (`--latency` runs once at each latency; by default full size runs 0 ms five times and 300 ms once)
// prints the scenario comparison. A complete run (full size, every scenario, scripted model) also
// rewrites the generated tables in docs/scenarios.md and the README.
import { writeSections } from '../doc-sections.ts';
import { scenarioSections } from './docs.ts';
import {
  comparisonTable,
  conditions,
  parseLatencies,
  runScenarios,
  summaryTable,
  verdict,
} from './report.ts';

const flag = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
const size = process.argv.includes('--smoke') ? 'smoke' : 'full';
const latencyFlag = flag('latency');
const latencies = latencyFlag === undefined ? undefined : parseLatencies(latencyFlag);
const only = flag('only')?.split(',');
const realModel = process.argv.includes('--real-model');

const run = await runScenarios({
  size,
  realModel,
  ...(latencies ? { latencies } : {}),
  ...(only ? { only } : {}),
});
process.stdout.write(
  `${conditions(run)}\n\n${comparisonTable(run)}\n\n${summaryTable(run)}\n\n${verdict(run)}\n`,
);
if (size === 'full' && !only && !realModel && !latencies) {
  writeSections(scenarioSections(run));
  process.stdout.write('\nWrote the generated tables in docs/scenarios.md and README.md.\n');
}
