// Runs the scenarios and renders what was measured: per scenario, tool calling one call per turn
// (serial), tool calling with parallel tool calls (the headline baseline) and ATP, side by side, with
// what was checked. Runs with the scripted model throw when a check fails.
import { percentile } from '../measure.ts';
import type { ModelUsage } from './metered-model.ts';
import { cachedCostUsd, costUsd, DEFAULT_PRICE, type Price } from './pricing.ts';
import { realModelFromEnv } from './real-model.ts';
import { SCENARIOS } from './registry.ts';
import {
  type LatencyPlan,
  type MeasuredPath,
  PATHS,
  type PathName,
  runScenario,
  type ScenarioResult,
} from './run-scenario.ts';
import type { ChatModel, ScenarioSize } from './types.ts';
import { assertChecks, type Check, checksOf } from './verify.ts';

export interface ScenariosOptions {
  size: ScenarioSize;
  /** Latencies added to each model call and runs at each. Default: `defaultLatencies`. */
  latencies?: readonly LatencyPlan[];
  /** Use OPENAI_API_KEY / ANTHROPIC_API_KEY instead of the scripted model (then checks are reported, not enforced). */
  realModel?: boolean;
  only?: readonly string[];
  price?: Price;
}

export interface ScenariosRun {
  results: ScenarioResult[];
  checks: Check[];
  latencies: readonly LatencyPlan[];
  price: Price;
  realModel: boolean;
  size: ScenarioSize;
}

/** The per-call latency the headline wall time assumes (see docs/scenarios.md for what it stands for). */
export const HEADLINE_LATENCY_MS = 300;
/** Runs at 0 ms per call: the whole run then takes a fraction of a second, so one run is mostly noise. */
export const ZERO_LATENCY_RUNS = 5;

/**
 * Full size with the scripted model: 0 ms (median of 5 runs) and 300 ms (one run: model time dominates).
 * Smoke size, or a real model (whose own latency is measured): one run at 0 ms.
 */
export function defaultLatencies(size: ScenarioSize, realModel: boolean): LatencyPlan[] {
  if (realModel || size === 'smoke') return [{ latencyMs: 0, runs: 1 }];
  return [
    { latencyMs: 0, runs: ZERO_LATENCY_RUNS },
    { latencyMs: HEADLINE_LATENCY_MS, runs: 1 },
  ];
}

/** `0,300` → one run at each. */
export function parseLatencies(text: string): LatencyPlan[] {
  return text.split(',').map((entry) => ({ latencyMs: Number(entry), runs: 1 }));
}

export async function runScenarios(options: ScenariosOptions): Promise<ScenariosRun> {
  let model: ChatModel | undefined;
  if (options.realModel) {
    model = realModelFromEnv();
    if (!model) throw new Error('A real model needs OPENAI_API_KEY or ANTHROPIC_API_KEY in the environment.');
  }
  const price = options.price ?? DEFAULT_PRICE;
  const latencies = options.latencies ?? defaultLatencies(options.size, model !== undefined);
  const results: ScenarioResult[] = [];
  for (const scenario of SCENARIOS) {
    if (options.only && !options.only.includes(scenario.id)) continue;
    results.push(
      await runScenario(scenario, {
        size: options.size,
        latencies,
        minCacheableTokens: price.minCacheableTokens,
        ...(model ? { model } : {}),
      }),
    );
  }
  const checks = results.flatMap(checksOf);
  // The scripted model is deterministic and optimal: any difference is a bug in a path, so stop here.
  if (!model) assertChecks(checks);
  return { results, checks, latencies, price, realModel: model !== undefined, size: options.size };
}

const LABELS: Record<PathName, string> = {
  serial: 'tool calling, one call per turn',
  parallel: 'tool calling, parallel calls',
  atp: 'ATP',
};

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const usd = (n: number) => `$${n < 0.1 ? n.toFixed(4) : n.toFixed(2)}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 1000 ? 2 : 1)} s`;

/** baseline ÷ ATP, saying so when ATP comes out worse. */
function ratio(baseline: number, atp: number, worse: string): string {
  if (atp === 0 || baseline === 0) return '–';
  const r = baseline / atp;
  const text = `${r.toFixed(r >= 10 ? 0 : 1)}×`;
  return r < 1 ? `${text} (ATP ${worse})` : text;
}

/** The first run's paths (token counts and costs are the same at every latency; the checks say so). */
const firstRun = (result: ScenarioResult) => result.runs[0]!.paths;

/** The median wall time of a path over the runs at one latency. */
export function wallAt(result: ScenarioResult, latencyMs: number, path: PathName): number {
  const walls = result.runs.filter((run) => run.latencyMs === latencyMs).map((run) => run.paths[path].wallMs);
  return percentile(walls, 50);
}

const wallLabel = ({ latencyMs, runs }: LatencyPlan) =>
  `wall time, ${latencyMs} ms per model call${runs > 1 ? ` (median of ${runs} runs)` : ''}`;

/** Slowest latency first: the headline. */
const byLatency = (plans: readonly LatencyPlan[]) => [...plans].sort((a, b) => b.latencyMs - a.latencyMs);

function checkSummary(checks: readonly Check[], scenario: string, path: PathName): string {
  const mine = checks.filter((check) => check.scenario === scenario && check.path === path);
  const failed = [...new Set(mine.filter((check) => !check.ok).map((check) => check.name))];
  return failed.length === 0 ? `✓ ${mine.length}/${mine.length}` : `✗ ${failed.join(', ')}`;
}

interface Metric {
  label: string;
  value: (path: MeasuredPath) => number;
  format: (n: number) => string;
  /** How ATP compares when its value is higher (the ratio column); absent: no ratio for this row. */
  worse?: string;
}

function metrics(price: Price): Metric[] {
  const usage = (pick: (u: ModelUsage) => number) => (path: MeasuredPath) => pick(path.usage);
  return [
    { label: 'model turns (agent loop)', value: usage((u) => u.agentTurns), format: int, worse: 'more' },
    { label: 'tool calls the model made', value: (p) => p.toolCalls, format: int, worse: 'more' },
    {
      label: 'LLM calls (turns + `atp.llm.call`)',
      value: usage((u) => u.llmCalls),
      format: int,
      worse: 'more',
    },
    {
      label: 'API requests the backend received',
      value: (p) => Object.values(p.requests).reduce((a, b) => a + b, 0),
      format: int,
      worse: 'more',
    },
    {
      label: 'context tokens (input, summed over calls)',
      value: usage((u) => u.inputTokens),
      format: int,
      worse: 'more',
    },
    {
      label: '… of which read from the prompt cache',
      value: usage((u) => u.cacheReadTokens),
      format: int,
    },
    { label: 'output tokens', value: usage((u) => u.outputTokens), format: int, worse: 'more' },
    {
      label: 'largest single request (tokens)',
      value: usage((u) => u.peakInputTokens),
      format: int,
      worse: 'more',
    },
    { label: 'cost, no prompt caching', value: (p) => costUsd(p.usage, price), format: usd, worse: 'dearer' },
    {
      label: '**cost with prompt caching**',
      value: (p) => cachedCostUsd(p.usage, price),
      format: usd,
      worse: 'dearer',
    },
  ];
}

/** The full comparison (docs/scenarios.md): every metric for all three paths, ratio against parallel tool calling. */
export function comparisonTable(run: ScenariosRun): string {
  const lines = [
    `| scenario | metric | ${LABELS.serial} | ${LABELS.parallel} | ${LABELS.atp} | parallel ÷ ATP |`,
    '|---|---|---:|---:|---:|---:|',
  ];
  for (const result of run.results) {
    const paths = firstRun(result);
    const rows: string[][] = metrics(run.price).map((metric) => {
      const [s, p, a] = PATHS.map((path) => metric.value(paths[path]));
      return [
        metric.label,
        metric.format(s!),
        metric.format(p!),
        metric.format(a!),
        metric.worse === undefined ? '' : ratio(p!, a!, metric.worse),
      ];
    });
    for (const plan of run.latencies) {
      const [s, p, a] = PATHS.map((path) => wallAt(result, plan.latencyMs, path));
      rows.push([wallLabel(plan), seconds(s!), seconds(p!), seconds(a!), ratio(p!, a!, 'slower')]);
    }
    rows.push([
      run.realModel ? 'checks (reported, not enforced)' : 'checks passed',
      ...PATHS.map((path) => checkSummary(run.checks, result.scenario.id, path)),
      '',
    ]);
    rows.forEach((cells, index) => {
      lines.push(`| ${index === 0 ? `**${result.scenario.title}**` : ''} | ${cells.join(' | ')} |`);
    });
  }
  return lines.join('\n');
}

/** The short table (README): parallel tool calling → ATP per headline metric, and the serial baseline's figures. */
export function summaryTable(run: ScenariosRun): string {
  const latencies = byLatency(run.latencies);
  const walls = latencies.map(wallLabel);
  const lines = [
    `| task | LLM calls | context tokens | cost with prompt caching | ${walls.join(' | ')} | serial tool calling: context tokens, cost with caching |`,
    `|---|---|---|---|${walls.map(() => '---|').join('')}---|`,
  ];
  for (const result of run.results) {
    const { serial, parallel, atp } = firstRun(result);
    const arrow = (p: number, a: number, format: (n: number) => string) => `${format(p)} → ${format(a)}`;
    const wall = ({ latencyMs }: LatencyPlan) => {
      const p = wallAt(result, latencyMs, 'parallel');
      const a = wallAt(result, latencyMs, 'atp');
      return `${arrow(p, a, seconds)}${a > p ? ' (ATP slower)' : ''}`;
    };
    const cells = [
      result.scenario.title,
      arrow(parallel.usage.llmCalls, atp.usage.llmCalls, int),
      arrow(parallel.usage.inputTokens, atp.usage.inputTokens, int),
      arrow(cachedCostUsd(parallel.usage, run.price), cachedCostUsd(atp.usage, run.price), usd),
      ...latencies.map(wall),
      `${int(serial.usage.inputTokens)}, ${usd(cachedCostUsd(serial.usage, run.price))}`,
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** One sentence per headline metric: in how many scenarios ATP beats parallel tool calling. */
export function verdict(run: ScenariosRun): string {
  const n = run.results.length;
  const count = (better: (result: ScenarioResult) => boolean) => run.results.filter(better).length;
  const p = (result: ScenarioResult) => firstRun(result).parallel;
  const a = (result: ScenarioResult) => firstRun(result).atp;
  const faster = (latencyMs: number) =>
    count((result) => wallAt(result, latencyMs, 'atp') < wallAt(result, latencyMs, 'parallel'));
  const lines = [
    `Against parallel tool calling, ATP sends fewer context tokens in ${count((r) => a(r).usage.inputTokens < p(r).usage.inputTokens)} of ${n} scenarios and costs less with prompt caching in ${count((r) => cachedCostUsd(a(r).usage, run.price) < cachedCostUsd(p(r).usage, run.price))} of ${n}.`,
  ];
  for (const { latencyMs, runs } of byLatency(run.latencies)) {
    const wins = faster(latencyMs);
    lines.push(
      `At ${latencyMs} ms per model call${runs > 1 ? ` (median of ${runs} runs)` : ''} ATP is faster in ${wins} of ${n} scenarios${wins < n ? ` and slower in ${n - wins}` : ''}.`,
    );
  }
  return lines.join(' ');
}

/** The run's conditions, for the line above a generated table. */
export function conditions(run: ScenariosRun): string {
  return `${run.realModel ? 'a real model (from the environment)' : 'scripted model'}; size ${run.size}; model latency ${run.latencies.map(({ latencyMs, runs }) => `${latencyMs} ms (${runs} ${runs === 1 ? 'run' : 'runs'})`).join(' and ')} per call; ${run.price.label}`;
}
