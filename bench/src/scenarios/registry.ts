// Every scenario, in the order of the seed blog's table.
import { articlesScenario } from './articles.ts';
import { customersScenario } from './customers.ts';
import { emailScenario } from './email.ts';
import { prReviewScenario } from './pr-review.ts';
import type { Scenario } from './types.ts';
import { weeklyScenario } from './weekly.ts';

export const SCENARIOS: readonly Scenario[] = [
  emailScenario,
  articlesScenario,
  customersScenario,
  weeklyScenario,
  prReviewScenario,
];

export function scenarioById(id: string): Scenario {
  const scenario = SCENARIOS.find((candidate) => candidate.id === id);
  if (!scenario) throw new Error(`Unknown scenario "${id}"; known: ${SCENARIOS.map((s) => s.id).join(', ')}`);
  return scenario;
}
