import { scenarioById } from '/work/main/bench/src/scenarios/registry.ts';
import { runScenario } from '/work/main/bench/src/scenarios/run-scenario.ts';

const size = (process.argv[3] ?? 'smoke') as 'smoke' | 'full';
const r = await runScenario(scenarioById(process.argv[2]!), { size, latencyMs: 0 });
console.log(
  JSON.stringify({ atp: r.atp, baseline: { ...r.baseline, answer: undefined } }, null, 1).slice(0, 3000),
);
console.log('equal', JSON.stringify(r.atp.answer) === JSON.stringify(r.baseline.answer));
