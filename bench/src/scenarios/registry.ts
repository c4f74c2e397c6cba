// Every scenario, in the order of the seed blog's table.
import { emailScenario } from './email.ts';
import type { Scenario } from './types.ts';

export const SCENARIOS: readonly Scenario[] = [emailScenario];

export function scenarioById(id: string): Scenario {
  const scenario = SCENARIOS.find((candidate) => candidate.id === id);
  if (!scenario) throw new Error(`Unknown scenario "${id}"; known: ${SCENARIOS.map((s) => s.id).join(', ')}`);
  return scenario;
}
