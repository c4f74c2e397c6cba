// The generated parts of docs/scenarios.md and the README that come from a scenarios run.
import { DOCS, type DocSection, machineStamp } from '../doc-sections.ts';
import { comparisonTable, conditions, type ScenariosRun, summaryTable, verdict } from './report.ts';

export function scenarioSections(run: ScenariosRun): DocSection[] {
  const measured = `Measured on ${machineStamp()}: ${conditions(run)}. Counts and tokens are exact and repeatable; wall times are noisy.`;
  return [
    {
      file: DOCS.scenarios,
      name: 'scenarios',
      content: [measured, '', comparisonTable(run), '', verdict(run)].join('\n'),
    },
    {
      file: DOCS.readme,
      name: 'scenarios',
      content: [summaryTable(run), '', `${verdict(run)} (${measured})`].join('\n'),
    },
  ];
}
