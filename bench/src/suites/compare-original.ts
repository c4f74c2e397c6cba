// The side-by-side benchmark against the published ATP 0.19 server (compare-original/), as part of
// `pnpm bench` when a Node 18–22 is available to run the original (installed on demand into a cache
// directory). Without one, a single row says why it did not run; if the comparison itself fails, a row
// says so (marked missed) and the error goes to stderr, so the rest of the bench run is kept.

import { type Comparison, compareServers, originalLaunch, ourLaunch } from '../compare-original/compare.ts';
import { ensureOriginal, findOriginalNode } from '../compare-original/install.ts';
import { comparisonRows, comparisonSections } from '../compare-original/report.ts';
import type { DocSection } from '../doc-sections.ts';
import type { BenchRow, BenchScale, BenchSuite } from '../measure.ts';

let lastFullRun: Comparison | undefined;

const notRun = (reason: string): BenchRow[] => [
  { name: 'vs ATP 0.19 over HTTP', p50: null, p99: null, unit: '–', target: '–', note: `not run: ${reason}` },
];

export const compareOriginalSuite: BenchSuite = {
  name: 'compare-original',
  async run(scale: BenchScale): Promise<BenchRow[]> {
    lastFullRun = undefined;
    const node = findOriginalNode();
    if (!node) return notRun('no Node 18, 20 or 22 on PATH to run the original (set ATP_ORIGINAL_NODE)');
    let install: Awaited<ReturnType<typeof ensureOriginal>>;
    try {
      install = await ensureOriginal(node, undefined, (line) => process.stderr.write(`${line}\n`));
    } catch (error) {
      return notRun(
        `installing the original failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
    }
    let comparison: Comparison;
    try {
      comparison = await compareServers(originalLaunch(install), ourLaunch(), scale);
    } catch (error) {
      process.stderr.write(
        `compare-original failed: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      const message =
        error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : String(error);
      return [
        {
          name: 'vs ATP 0.19 over HTTP',
          p50: null,
          p99: null,
          unit: '–',
          target: '≥ 5× ATP 0.19',
          met: false,
          note: `FAILED: ${message}`,
        },
      ];
    }
    if (scale === 'full') lastFullRun = comparison;
    return comparisonRows(comparison);
  },
  documents(): DocSection[] {
    return lastFullRun ? comparisonSections(lastFullRun) : [];
  },
};
