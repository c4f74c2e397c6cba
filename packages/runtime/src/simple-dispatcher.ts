import {
  type APIGroup,
  type ApiDispatcher,
  editDistance,
  type ResolvedFunction,
} from '@agent-tool-protocol/protocol';

/**
 * A minimal ApiDispatcher over API groups: a Map from `group.function` to the handler (O(1)
 * lookups), with edit-distance suggestions. The catalog package provides the full one (search,
 * schemas, credentials); this one lets the runtime be used on its own and in tests.
 */
export function createSimpleDispatcher(groups: APIGroup[]): ApiDispatcher {
  const functions = new Map<string, ResolvedFunction>();
  for (const group of groups) {
    for (const def of group.functions) {
      const path = `${group.name}.${def.name}`;
      functions.set(path, {
        path,
        group: group.name,
        name: def.name,
        ...(def.metadata ? { metadata: def.metadata } : {}),
        call: async (input, context) => def.handler(input, context),
      });
    }
  }
  return {
    resolve: (path) => functions.get(path),
    suggest: (path, limit = 3) => {
      const scored: [number, string][] = [];
      for (const candidate of functions.keys()) {
        const distance = editDistance(path, candidate, 4);
        if (distance <= 4) scored.push([distance, candidate]);
      }
      return scored
        .sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]))
        .slice(0, limit)
        .map(([, candidate]) => candidate);
    },
  };
}
