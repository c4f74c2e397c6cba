// The seed blog's five scenarios, ATP vs tool calling (docs/scenarios.md). One row per scenario: ATP's
// context tokens, with both paths' tool calls, LLM calls, cost and wall time in the note.
// Full scale: 300 ms per LLM call (ATP_SCENARIOS_LATENCY_MS overrides); ATP_SCENARIOS_MODEL=real uses
// OPENAI_API_KEY / ANTHROPIC_API_KEY instead of the scripted model; ATP_SCENARIOS_ONLY=email,pr-review
// runs some of them.
import type { BenchRow, BenchScale, BenchSuite } from '../measure.ts';
import { answersMatch, cachedCostUsd, costUsd, runScenarios } from '../scenarios/report.ts';

const fewer = (baseline: number, atp: number) => (atp === 0 ? '' : ` (${(baseline / atp).toFixed(1)}×)`);

export const scenariosSuite: BenchSuite = {
  name: 'scenarios',
  async run(scale: BenchScale): Promise<BenchRow[]> {
    const full = scale === 'full';
    const latencyMs = Number(process.env.ATP_SCENARIOS_LATENCY_MS ?? (full ? 300 : 0));
    const realModel = process.env.ATP_SCENARIOS_MODEL === 'real';
    const only = process.env.ATP_SCENARIOS_ONLY?.split(',');
    const results = await runScenarios({
      size: full ? 'full' : 'smoke',
      latencyMs,
      realModel,
      ...(only ? { only } : {}),
    });
    return results.map((result) => {
      const { scenario, atp, baseline } = result;
      const cost = (n: number) => `$${n.toFixed(3)}`;
      return {
        name: `scenario: ${scenario.title}, context tokens (ATP)`,
        p50: atp.usage.inputTokens,
        p99: null,
        unit: 'tokens',
        target: '< tool calling',
        note: [
          ...(full ? [] : ['smoke size']),
          `tool calling ${baseline.usage.inputTokens.toLocaleString('en-US')} tokens${fewer(baseline.usage.inputTokens, atp.usage.inputTokens)}`,
          `tool calls ${baseline.toolCalls} → ${atp.toolCalls}`,
          `LLM calls ${baseline.usage.llmCalls} → ${atp.usage.llmCalls}`,
          `cost ${cost(costUsd(baseline.usage))} → ${cost(costUsd(atp.usage))} (with prompt caching ${cost(cachedCostUsd(baseline.usage))} → ${cost(cachedCostUsd(atp.usage))})`,
          `wall ${(baseline.wallMs / 1000).toFixed(1)} s → ${(atp.wallMs / 1000).toFixed(1)} s at ${latencyMs} ms/LLM call`,
          realModel ? 'real model' : answersMatch(result) ? 'answers equal' : 'ANSWERS DIFFER',
        ].join('; '),
      };
    });
  },
};
