import type { DocSection } from './doc-sections.ts';
import { hasTarget, targetStatus } from './targets.ts';

/** One line of the benchmark table. `p50`/`p99` are numbers in `unit` (or `null` when not meaningful). */
export interface BenchRow {
  name: string;
  p50: number | null;
  p99: number | null;
  unit: string;
  /** '–' for none; simple thresholds (`≤ 30 µs`, `p50 ≤ 0.5 ms`) are checked from p50/p99 (targets.ts). */
  target: string;
  /** Whether the target is met, for targets the table cannot check from p50/p99 alone. */
  met?: boolean;
  note: string;
}

/** How hard a suite works: `full` for the real numbers, `smoke` for a quick run in tests. */
export type BenchScale = 'full' | 'smoke';

export interface BenchSuite {
  name: string;
  run(scale: BenchScale): Promise<BenchRow[]>;
  /** Generated document sections from the last full run (e.g. the scenario tables); none by default. */
  documents?(): DocSection[];
}

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/**
 * Runs `fn` `warmup` times unmeasured, then `iterations` times; returns durations in ms.
 * `idleMs` waits between runs (outside the measurement), e.g. to let a pool refill.
 */
export async function sample(
  iterations: number,
  fn: () => Promise<unknown>,
  warmup = 5,
  idleMs = 0,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    if (idleMs > 0) await new Promise((resolve) => setTimeout(resolve, idleMs));
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return samples;
}

export function row(name: string, samples: number[], unit: 'ms' | 'µs', target: string, note = ''): BenchRow {
  const factor = unit === 'µs' ? 1000 : 1;
  return {
    name,
    p50: percentile(samples, 50) * factor,
    p99: percentile(samples, 99) * factor,
    unit,
    target,
    note,
  };
}

export function formatValue(value: number | null): string {
  if (value === null || Number.isNaN(value)) return '–';
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(3);
}

export function markdownTable(rows: BenchRow[]): string {
  const lines = [
    '| benchmark | p50 | p99 | unit | target | met? | note |',
    '|---|---:|---:|---|---|---|---|',
  ];
  for (const r of rows) {
    const status = hasTarget(r) ? targetStatus(r) : '';
    lines.push(
      `| ${r.name} | ${formatValue(r.p50)} | ${formatValue(r.p99)} | ${r.unit} | ${r.target} | ${status === 'missed' ? '**missed**' : status} | ${r.note} |`,
    );
  }
  return lines.join('\n');
}
