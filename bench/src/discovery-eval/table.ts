import type { Metrics } from './metrics.ts';

// Markdown tables of evaluation reports.

export interface MetricsRow {
  configuration: string;
  spec: string;
  half: string;
  metrics: Metrics;
}

const percent = (value: number) => `${(value * 100).toFixed(1)}`;

export function metricsTable(rows: readonly MetricsRow[]): string {
  const lines = [
    '| configuration | spec | half | tasks | R@1 % | R@5 % | R@10 % | MRR | tokens / 10 results |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { configuration, spec, half, metrics: m } of rows) {
    lines.push(
      `| ${configuration} | ${spec} | ${half} | ${m.tasks} | ${percent(m.recallAt1)} | ${percent(m.recallAt5)} | ${percent(m.recallAt10)} | ${m.mrr.toFixed(3)} | ${Math.round(m.meanTokens)} |`,
    );
  }
  return lines.join('\n');
}
