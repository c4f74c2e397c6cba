// `pnpm --filter @agent-tool-protocol/bench compare-original [--smoke]` (after `pnpm build`): installs the
// published ATP 0.19 server on demand (install.ts), measures it and ours side by side over HTTP, prints
// the table and, at full scale, rewrites the side-by-side tables in docs/benchmarks.md and the README.
import { writeSections } from '../doc-sections.ts';
import { compareServers, originalLaunch, ourLaunch } from './compare.ts';
import { ensureOriginal, findOriginalNode } from './install.ts';
import { comparisonSections, comparisonTable, conditionsOf } from './report.ts';

const scale = process.argv.includes('--smoke') ? 'smoke' : 'full';
const node = findOriginalNode();
if (!node) {
  process.stderr.write(
    'The original ATP 0.19 server needs Node 18, 20 or 22 (isolated-vm 5); none is on PATH. Set ATP_ORIGINAL_NODE to one.\n',
  );
  process.exit(1);
}
const install = await ensureOriginal(node, undefined, (line) => process.stderr.write(`${line}\n`));
const comparison = await compareServers(originalLaunch(install), ourLaunch(), scale);
process.stdout.write(`${conditionsOf(comparison)}\n\n${comparisonTable(comparison)}\n`);
if (scale === 'full') {
  writeSections(comparisonSections(comparison));
  process.stdout.write('\nWrote the side-by-side tables in docs/benchmarks.md and README.md.\n');
}
