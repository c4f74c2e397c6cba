import type { SpecCatalog } from './harness.ts';
import { sharedKeywords } from './keywords.ts';
import type { DiscoveryTask } from './tasks.ts';

// Checks of the task files against the loaded specs (used by the tests and printed by the CLI).

/**
 * Names a task must not share a keyword with to count as keyword-free: the operationIds and the
 * function names within the group (`issues.create`; the group's own name, e.g. `stripe`, names the
 * whole API, not the operation).
 */
export function targetNames(task: DiscoveryTask, catalog: SpecCatalog): string[] {
  const prefix = `${catalog.group.name}.`;
  return task.expected.flatMap((operationId) => {
    const path = catalog.pathOf.get(operationId);
    return path === undefined ? [operationId] : [operationId, path.slice(prefix.length)];
  });
}

export function isKeywordFree(task: DiscoveryTask, catalog: SpecCatalog): boolean {
  return sharedKeywords(task.query, targetNames(task, catalog)).length === 0;
}

/** Share of `tasks` (of the catalog's spec) that share no keyword with their target operations. */
export function keywordFreeShare(tasks: readonly DiscoveryTask[], catalog: SpecCatalog): number {
  const own = tasks.filter((task) => task.spec === catalog.loaded.spec.name);
  return own.length === 0 ? 0 : own.filter((task) => isKeywordFree(task, catalog)).length / own.length;
}

/** `query → operationId` for every expected operationId the loaded spec does not have. */
export function unknownOperations(tasks: readonly DiscoveryTask[], catalog: SpecCatalog): string[] {
  return tasks
    .filter((task) => task.spec === catalog.loaded.spec.name)
    .flatMap((task) =>
      task.expected.filter((id) => !catalog.pathOf.has(id)).map((id) => `${task.query} → ${id}`),
    );
}
