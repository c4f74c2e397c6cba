import { canonicalJson } from '@agent-tool-protocol/protocol';
// Runs the scenarios and renders the comparison: per scenario tool calls, LLM calls, context tokens,
// estimated cost and wall time, tool calling vs ATP, with the ratios.
import type { ModelUsage } from './metered-model.ts';
import { realModelFromEnv } from './real-model.ts';
import { SCENARIOS } from './registry.ts';
import { runScenario, type ScenarioResult } from './run-scenario.ts';
import type { ChatModel, ScenarioSize } from './types.ts';

/** $ per million tokens. Default: Claude Sonnet 4.x list prices ($3 in, $15 out). */
export interface Price {
  inputPerMTok: number;
  outputPerMTok: number;
  label: string;
}

export const DEFAULT_PRICE: Price = {
  inputPerMTok: 3,
  outputPerMTok: 15,
  label: '$3 / Mtok input, $15 / Mtok output',
};

export function costUsd(
  usage: { inputTokens: number; outputTokens: number },
  price: Price = DEFAULT_PRICE,
): number {
  return (usage.inputTokens * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1_000_000;
}

/** Cache reads at 0.1× and cache writes at 1.25× the input price (Anthropic's prompt-caching multipliers). */
export function cachedCostUsd(usage: ModelUsage, price: Price = DEFAULT_PRICE): number {
  const uncached = usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens;
  const input = usage.cacheReadTokens * 0.1 + usage.cacheWriteTokens * 1.25 + uncached;
  return (input * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1_000_000;
}

export const answersMatch = (result: ScenarioResult) =>
  canonicalJson(result.atp.answer) === canonicalJson(result.baseline.answer);

export interface ScenariosOptions {
  size: ScenarioSize;
  latencyMs: number;
  /** Use OPENAI_API_KEY / ANTHROPIC_API_KEY instead of the scripted model. */
  realModel?: boolean;
  only?: readonly string[];
}

export async function runScenarios(options: ScenariosOptions): Promise<ScenarioResult[]> {
  let model: ChatModel | undefined;
  if (options.realModel) {
    model = realModelFromEnv();
    if (!model) throw new Error('A real model needs OPENAI_API_KEY or ANTHROPIC_API_KEY in the environment.');
  }
  const results: ScenarioResult[] = [];
  for (const scenario of SCENARIOS) {
    if (options.only && !options.only.includes(scenario.id)) continue;
    results.push(
      await runScenario(scenario, {
        size: options.size,
        latencyMs: options.latencyMs,
        ...(model ? { model } : {}),
      }),
    );
  }
  return results;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ratio = (baseline: number, atp: number) =>
  atp === 0 ? '–' : `${(baseline / atp).toFixed(baseline / atp >= 10 ? 0 : 1)}×`;
const usd = (n: number) => `$${n < 0.1 ? n.toFixed(4) : n.toFixed(2)}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The doc's table: one row per scenario and metric, tool calling vs ATP and the ratio. */
export function comparisonTable(results: readonly ScenarioResult[], price: Price = DEFAULT_PRICE): string {
  const lines = [
    '| scenario | metric | tool calling | ATP | tool calling ÷ ATP |',
    '|---|---|---:|---:|---:|',
  ];
  for (const { scenario, atp, baseline } of results) {
    const rows: Array<[string, number, number, (n: number) => string]> = [
      ['tool calls', baseline.toolCalls, atp.toolCalls, int],
      ['LLM calls', baseline.usage.llmCalls, atp.usage.llmCalls, int],
      ['context tokens (input, summed over calls)', baseline.usage.inputTokens, atp.usage.inputTokens, int],
      ['output tokens', baseline.usage.outputTokens, atp.usage.outputTokens, int],
      ['largest single request (tokens)', baseline.usage.peakInputTokens, atp.usage.peakInputTokens, int],
      ['estimated cost', costUsd(baseline.usage, price), costUsd(atp.usage, price), usd],
      [
        'estimated cost with prompt caching',
        cachedCostUsd(baseline.usage, price),
        cachedCostUsd(atp.usage, price),
        usd,
      ],
      ['wall time', baseline.wallMs, atp.wallMs, seconds],
    ];
    rows.forEach(([metric, b, a, format], index) => {
      lines.push(
        `| ${index === 0 ? `**${scenario.title}**` : ''} | ${metric} | ${format(b)} | ${format(a)} | ${ratio(b, a)} |`,
      );
    });
    lines.push(
      `| | API operations performed | ${int(baseline.apiCalls)} | ${int(atp.apiCalls)} | same work |`,
      `| | answers equal | | | ${answersMatch({ scenario, atp, baseline }) ? 'yes' : '**no**'} |`,
    );
  }
  return lines.join('\n');
}
