import { readFileSync } from 'node:fs';
import type { EvalSpecName } from './specs.ts';
import type { Split } from './split.ts';

// The discovery evaluation set: requests an agent or a user would make, written from each spec's
// own documentation, with the operations (operationIds) that answer them; any one counts.

export interface DiscoveryTask {
  /** The group the task searches (an `EvalSpecName` for the task files). */
  spec: string;
  query: string;
  /** operationIds of the acceptable operations. */
  expected: readonly string[];
  /** Tune on `dev` only; `test` is held out (docs/discovery.md). */
  split: Split;
}

interface TaskFile {
  spec: EvalSpecName;
  /** The spec file the tasks were written against (package@version/path). */
  source: string;
  tasks: { query: string; expected: string[]; split: Split }[];
}

export const TASK_FILES: Record<EvalSpecName, string> = {
  github: 'github.json',
  stripe: 'stripe.json',
  slack: 'slack.json',
  asana: 'asana.json',
};

export function readTaskFile(spec: EvalSpecName): TaskFile {
  const url = new URL(`./tasks/${TASK_FILES[spec]}`, import.meta.url);
  const file = JSON.parse(readFileSync(url, 'utf8')) as TaskFile;
  if (file.spec !== spec) throw new Error(`tasks/${TASK_FILES[spec]} is for ${file.spec}, not ${spec}`);
  return file;
}

export function loadTasks(
  specs: readonly EvalSpecName[] = ['github', 'stripe', 'slack', 'asana'],
): DiscoveryTask[] {
  return specs.flatMap((spec) => readTaskFile(spec).tasks.map((task) => ({ spec, ...task })));
}

export const DISCOVERY_TASKS: readonly DiscoveryTask[] = loadTasks();
