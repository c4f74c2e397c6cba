// The seed blog's five scenarios, ATP vs tool calling (docs/scenarios.md). One row per scenario: ATP's
// context tokens against parallel tool calling (the headline baseline), with serial tool calling, cost
// with prompt caching and wall times in the note. A complete full run also writes the scenario tables.
// Full scale runs every scenario at 0 ms (five times) and 300 ms per model call (ATP_SCENARIOS_LATENCIES=0,300
// overrides, once each); ATP_SCENARIOS_MODEL=real uses OPENAI_API_KEY / ANTHROPIC_API_KEY instead of the scripted
// model; ATP_SCENARIOS_ONLY=email,pr-review runs some of them.
import type { DocSection } from '../doc-sections.ts';
import type { BenchRow, BenchScale, BenchSuite } from '../measure.ts';
import { scenarioSections } from '../scenarios/docs.ts';
import { cachedCostUsd } from '../scenarios/pricing.ts';
import { parseLatencies, runScenarios, type ScenariosRun, wallAt } from '../scenarios/report.ts';

const tokens = (n: number) => n.toLocaleString('en-US');
const cost = (n: number) => `$${n.toFixed(3)}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

let lastCompleteRun: ScenariosRun | undefined;

export function scenarioRows(run: ScenariosRun): BenchRow[] {
  return run.results.map((result) => {
    const { serial, parallel, atp } = result.runs[0]!.paths;
    const walls = run.latencies.map(
      ({ latencyMs }) =>
        `wall at ${latencyMs} ms/call ${seconds(wallAt(result, latencyMs, 'parallel'))} → ${seconds(wallAt(result, latencyMs, 'atp'))}`,
    );
    const failed = run.checks.filter((check) => check.scenario === result.scenario.id && !check.ok);
    return {
      name: `scenario: ${result.scenario.title}, context tokens (ATP)`,
      p50: atp.usage.inputTokens,
      p99: null,
      unit: 'tokens',
      target: '< parallel tool calling',
      met: atp.usage.inputTokens < parallel.usage.inputTokens,
      note: [
        ...(run.size === 'full' ? [] : ['smoke size']),
        `parallel tool calling ${tokens(parallel.usage.inputTokens)}, serial ${tokens(serial.usage.inputTokens)}`,
        `LLM calls ${serial.usage.llmCalls} / ${parallel.usage.llmCalls} → ${atp.usage.llmCalls}`,
        `cost with prompt caching ${cost(cachedCostUsd(serial.usage, run.price))} / ${cost(cachedCostUsd(parallel.usage, run.price))} → ${cost(cachedCostUsd(atp.usage, run.price))} (serial / parallel → ATP)`,
        ...walls,
        failed.length === 0
          ? 'answers, side effects and requests as expected on every path'
          : `CHECKS FAILED: ${failed.map((c) => `${c.path} ${c.name}`).join(', ')}`,
      ].join('; '),
    };
  });
}

export const scenariosSuite: BenchSuite = {
  name: 'scenarios',
  async run(scale: BenchScale): Promise<BenchRow[]> {
    const full = scale === 'full';
    const latencyList = process.env.ATP_SCENARIOS_LATENCIES;
    const latencies = latencyList === undefined ? undefined : parseLatencies(latencyList);
    const realModel = process.env.ATP_SCENARIOS_MODEL === 'real';
    const only = process.env.ATP_SCENARIOS_ONLY?.split(',');
    const run = await runScenarios({
      size: full ? 'full' : 'smoke',
      realModel,
      ...(latencies ? { latencies } : {}),
      ...(only ? { only } : {}),
    });
    lastCompleteRun = full && !only && !realModel && !latencies ? run : undefined;
    return scenarioRows(run);
  },
  documents(): DocSection[] {
    return lastCompleteRun ? scenarioSections(lastCompleteRun) : [];
  },
};
