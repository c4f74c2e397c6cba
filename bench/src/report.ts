// The generated parts of docs/benchmarks.md and the README that come from a `pnpm bench` run: every
// target with met/missed, and the whole table.
import { DOCS, type DocSection, machineStamp } from './doc-sections.ts';
import { type BenchRow, formatValue, markdownTable } from './measure.ts';
import { hasTarget, type TargetStatus, targetStatus } from './targets.ts';

const STATUS_TEXT: Record<TargetStatus, string> = {
  met: 'met',
  missed: '**missed**',
  'not checked': 'not checked automatically',
};

function measured(row: BenchRow): string {
  const p99 = /^p99\b/.test(row.target.trim());
  const value = p99 ? row.p99 : row.p50;
  if (value === null || Number.isNaN(value)) return 'not measured';
  return `${formatValue(value)} ${row.unit}${p99 ? ' (p99)' : ''}`;
}

/** Every row that has a target: the target, what was measured, met or missed. */
export function targetsTable(rows: readonly BenchRow[]): string {
  const lines = ['| benchmark | target | measured (p50) | status |', '|---|---|---:|---|'];
  for (const row of rows.filter(hasTarget)) {
    lines.push(`| ${row.name} | ${row.target} | ${measured(row)} | ${STATUS_TEXT[targetStatus(row)]} |`);
  }
  return lines.join('\n');
}

export function targetsSummary(rows: readonly BenchRow[]): string {
  const statuses = rows.filter(hasTarget).map(targetStatus);
  const count = (status: TargetStatus) => statuses.filter((s) => s === status).length;
  return `${count('met')} of ${statuses.length} targets met, ${count('missed')} missed, ${count('not checked')} not checked automatically.`;
}

export function benchmarkSections(rows: readonly BenchRow[]): DocSection[] {
  const stamp = `Measured by \`pnpm bench\` on ${machineStamp()}.`;
  const targets = [stamp, '', targetsSummary(rows), '', targetsTable(rows)].join('\n');
  return [
    { file: DOCS.benchmarks, name: 'targets', content: targets },
    { file: DOCS.benchmarks, name: 'all-rows', content: [stamp, '', markdownTable([...rows])].join('\n') },
    { file: DOCS.readme, name: 'targets', content: targets },
  ];
}
