import type { CompiledGroup } from '../compiled-group.js';

/** What `Catalog.compileValidators` compiled: the schemas that failed are not checked (see `failures`). */
export interface ValidatorReport {
  functions: number;
  inputs: { compiled: number; failed: number };
  outputs: { compiled: number; failed: number };
  failures: Array<{ path: string; side: 'input' | 'output'; reason: string }>;
}

/** Compiles every check of `groups` now (they are otherwise compiled on each function's first call). */
export function compileGroupValidators(groups: readonly CompiledGroup[]): ValidatorReport {
  const report: ValidatorReport = {
    functions: 0,
    inputs: { compiled: 0, failed: 0 },
    outputs: { compiled: 0, failed: 0 },
    failures: [],
  };
  for (const compiled of groups) {
    for (const entry of compiled.entries) {
      report.functions++;
      const results = compiled.checks?.prepare(entry.fn, compiled.schemaOf(entry, 'output')) ?? [];
      for (const result of results) {
        const counts = result.side === 'input' ? report.inputs : report.outputs;
        if (result.compiled) counts.compiled++;
        else {
          counts.failed++;
          report.failures.push({ path: entry.path, side: result.side, reason: result.reason ?? 'unknown' });
        }
      }
    }
  }
  return report;
}
