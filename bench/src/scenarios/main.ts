// `node --no-node-snapshot src/scenarios/main.ts [--smoke] [--latency=300] [--only=email,pr-review] [--real-model]`
// prints the scenario comparison table (the one in docs/scenarios.md).
import { comparisonTable, DEFAULT_PRICE, runScenarios } from './report.ts';

const flag = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
const size = process.argv.includes('--smoke') ? 'smoke' : 'full';
const latencyMs = Number(flag('latency') ?? (size === 'full' ? 300 : 0));
const only = flag('only')?.split(',');
const realModel = process.argv.includes('--real-model');

const results = await runScenarios({ size, latencyMs, realModel, ...(only ? { only } : {}) });
process.stdout.write(
  `Model: ${realModel ? 'real (from the environment)' : 'scripted'}, ${latencyMs} ms per LLM call; size ${size}; price ${DEFAULT_PRICE.label}.\n\n${comparisonTable(results)}\n`,
);
