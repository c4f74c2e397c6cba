/** The config sections the engine owns (parsed copies, never objects users handed in). */
const SECTIONS = [
  'execution',
  'clientInit',
  'executionState',
  'discovery',
  'catalog',
  'plans',
  'audit',
  'auth',
  'history',
  'oauth',
] as const;

/**
 * Freezes the config and its sections, so nothing changes it after construction. What users handed in
 * (the cache, sinks, hooks, loggers, API groups) is left as it is.
 */
export function freezeConfig<T extends object>(config: T): Readonly<T> {
  for (const section of SECTIONS) {
    const value = (config as Record<string, unknown>)[section];
    if (typeof value === 'object' && value !== null) Object.freeze(value);
  }
  return Object.freeze(config);
}
