import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { replaceSection, writeSections } from '../src/doc-sections.ts';
import type { BenchRow } from '../src/measure.ts';
import { targetsSummary, targetsTable } from '../src/report.ts';
import { hasTarget, targetStatus } from '../src/targets.ts';

const row = (target: string, p50: number | null, unit = 'ms', extra: Partial<BenchRow> = {}): BenchRow => ({
  name: `row ${target}`,
  p50,
  p99: null,
  unit,
  target,
  note: '',
  ...extra,
});

describe('targets', () => {
  it('checks simple thresholds against p50, converting time units', () => {
    expect(targetStatus(row('≤ 30 µs', 109, 'µs'))).toBe('missed');
    expect(targetStatus(row('≤ 30 µs', 9.05, 'µs'))).toBe('met');
    expect(targetStatus(row('p50 ≤ 0.5 ms', 0.534))).toBe('missed');
    expect(targetStatus(row('≤ 200 µs', 0.15))).toBe('met');
    expect(targetStatus(row('≤ 1.5 ms', 2300, 'µs'))).toBe('missed');
    expect(targetStatus(row('≤ 1,000', 960, 'tokens'))).toBe('met');
    expect(targetStatus(row('≥ 1.7', 1.2, '×'))).toBe('missed');
    expect(targetStatus(row('p99 ≤ 5 ms', 1, 'ms', { p99: 6 }))).toBe('missed');
  });

  it('checks ratio targets against the ratio the note states', () => {
    expect(
      targetStatus(row('≤ 1.2× none', 16.9, 'ms', { note: '1.08× none (p50), preventDataExfiltration' })),
    ).toBe('met');
    expect(targetStatus(row('≤ 3× none', 50, 'ms', { note: '6.10× none (p50)' }))).toBe('missed');
    expect(targetStatus(row('≤ 3× none', 50, 'ms', { note: 'no ratio here' }))).toBe('not checked');
  });

  it('prefers a row’s own verdict, and never calls an unparsed target met', () => {
    expect(targetStatus(row('within 10% of 50', 2))).toBe('not checked');
    expect(targetStatus(row('within 10% of 50', 2, 'ms', { met: true }))).toBe('met');
    expect(targetStatus(row('≤ 1 ms', 0.5, 'ms', { met: false }))).toBe('missed');
    expect(targetStatus(row('≤ 1 ms', null))).toBe('not checked');
    expect(targetStatus(row('≤ 1 ms', 1, 'exec/s'))).toBe('not checked');
    expect(hasTarget(row('–', 1))).toBe(false);
    expect(hasTarget(row('baseline', 1))).toBe(false);
  });

  it('lists every row with a target, met or missed side by side', () => {
    const rows = [row('≤ 30 µs', 109, 'µs'), row('–', 1), row('p50 ≤ 5 ms', 4.2), row('flat', 1)];
    const table = targetsTable(rows);
    expect(table.split('\n')).toHaveLength(2 + 3);
    expect(table).toContain('| row ≤ 30 µs | ≤ 30 µs | 109 µs | **missed** |');
    expect(table).toContain('| row p50 ≤ 5 ms | p50 ≤ 5 ms | 4.200 ms | met |');
    expect(targetsSummary(rows)).toBe('1 of 3 targets met, 1 missed, 1 not checked automatically.');
  });
});

describe('generated document sections', () => {
  const text =
    'intro\n<!-- bench:a:begin -->\nold\n<!-- bench:a:end -->\nmiddle\n<!-- bench:b:begin -->\n<!-- bench:b:end -->\n';

  it('replaces only what is between a section’s markers', () => {
    expect(replaceSection(text, 'a', 'new table')).toBe(
      'intro\n<!-- bench:a:begin -->\nnew table\n<!-- bench:a:end -->\nmiddle\n<!-- bench:b:begin -->\n<!-- bench:b:end -->\n',
    );
    expect(() => replaceSection(text, 'c', 'x')).toThrow('No generated section "c"');
  });

  it('writes several sections of one file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-doc-'));
    try {
      const file = pathToFileURL(join(dir, 'doc.md'));
      writeFileSync(file, text);
      writeSections([
        { file, name: 'b', content: 'B' },
        { file, name: 'a', content: 'A' },
      ]);
      expect(readFileSync(file, 'utf8')).toBe(
        'intro\n<!-- bench:a:begin -->\nA\n<!-- bench:a:end -->\nmiddle\n<!-- bench:b:begin -->\nB\n<!-- bench:b:end -->\n',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
