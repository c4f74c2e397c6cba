import type { ConfigurationReport, Half } from './harness.ts';
import type { MetricsRow } from './table.ts';

const HALVES: Half[] = ['dev', 'test', 'all'];

/** One row per configuration, spec and half, then the overall rows. */
export function reportRows(reports: readonly ConfigurationReport[]): MetricsRow[] {
  const rows: MetricsRow[] = [];
  for (const report of reports) {
    for (const [spec, metrics] of Object.entries(report.bySpec)) {
      for (const half of HALVES)
        rows.push({ configuration: report.configuration, spec, half, metrics: metrics[half] });
    }
    for (const half of HALVES)
      rows.push({
        configuration: report.configuration,
        spec: 'all specs',
        half,
        metrics: report.overall[half],
      });
  }
  return rows;
}
