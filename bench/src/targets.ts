// Met or missed, decided from the numbers rather than typed by hand. A row's own `met` wins; otherwise
// simple thresholds are checked against p50 (or p99 when the target says so), and ratio targets
// (`≤ 1.2× none`) against the ratio the row's note states (`1.08× none`). Anything else is reported as
// not checked automatically, never as met.
import type { BenchRow } from './measure.ts';

export type TargetStatus = 'met' | 'missed' | 'not checked';

const NO_TARGET = new Set(['', '–', '-', 'reported', 'baseline']);

export function hasTarget(row: BenchRow): boolean {
  return !NO_TARGET.has(row.target.trim());
}

type Comparator = '≤' | '<' | '≥' | '>';

function compare(value: number, comparator: Comparator, limit: number): boolean {
  switch (comparator) {
    case '≤':
      return value <= limit;
    case '<':
      return value < limit;
    case '≥':
      return value >= limit;
    case '>':
      return value > limit;
  }
}

const TIME_IN_US: Record<string, number> = { µs: 1, ms: 1_000, s: 1_000_000 };

/** `value` in `from` expressed in `to`, or undefined when the units are not comparable. */
function convert(value: number, from: string, to: string): number | undefined {
  if (from === to) return value;
  const a = TIME_IN_US[from];
  const b = TIME_IN_US[to];
  return a !== undefined && b !== undefined ? (value * a) / b : undefined;
}

const THRESHOLD = /^(?:(p50|p99)\s+)?(≤|<|≥|>)\s*(\d[\d,]*(?:\.\d+)?)\s*(µs|ms|s|tokens|MB|%|exec\/s)?$/;
const RATIO = /^(≤|<|≥|>)\s*(\d+(?:\.\d+)?)×\s*(\S.*)$/;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function targetStatus(row: BenchRow): TargetStatus {
  if (row.met !== undefined) return row.met ? 'met' : 'missed';
  const target = row.target.trim();
  const threshold = THRESHOLD.exec(target);
  if (threshold) {
    const [, percentile, comparator, limit, unit] = threshold;
    const measured = percentile === 'p99' ? row.p99 : row.p50;
    if (measured === null || Number.isNaN(measured)) return 'not checked';
    const value = convert(measured, row.unit, unit ?? row.unit);
    if (value === undefined) return 'not checked';
    return compare(value, comparator as Comparator, Number(limit!.replaceAll(',', ''))) ? 'met' : 'missed';
  }
  const ratio = RATIO.exec(target);
  if (ratio) {
    const [, comparator, limit, reference] = ratio;
    const stated = new RegExp(`(\\d+(?:\\.\\d+)?)×\\s*${escapeRegExp(reference!)}`).exec(row.note);
    if (!stated) return 'not checked';
    return compare(Number(stated[1]), comparator as Comparator, Number(limit)) ? 'met' : 'missed';
  }
  return 'not checked';
}
