import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

/** Writes the benchmark table to docs/benchmarks.md with the machine, Node version and date it ran on. */
export function writeBenchmarksDoc(
  table: string,
  path = new URL('../../docs/benchmarks.md', import.meta.url),
): void {
  const cpu = cpus();
  const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB`;
  const lines = [
    '# Benchmarks',
    '',
    'Written by `pnpm bench` (do not edit by hand). Every number is measured on the machine below in one run;',
    'p50/p99 are per operation unless the unit says otherwise. Targets come from the issues that set them.',
    '',
    `- Machine: ${machine}`,
    `- Node: ${process.version}`,
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
    '',
    table,
    '',
  ];
  writeFileSync(path, lines.join('\n'));
}
