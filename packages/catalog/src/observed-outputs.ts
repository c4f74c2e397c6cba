import type { APIGroup, ApiDispatcher, ResolvedFunction } from '@agent-tool-protocol/protocol';
import type { CatalogLogger } from './catalog-types.js';
import type { FunctionEntry } from './compiled-group.js';
import type { GroupRegistry } from './group-registry.js';
import { OutputInference, type OutputInferenceOptions } from './output-inference.js';

/**
 * Output inference wired to the registry: `dispatcher()` wraps `resolve` so results of eligible
 * functions are observed, and groups whose inferred types changed are recompiled (batched per
 * tick) so the declarations, search signatures and explore answers show them.
 */
export class ObservedOutputs {
  private readonly inference: OutputInference;
  private readonly refreshing = new Set<string>();

  constructor(
    options: OutputInferenceOptions,
    logger: CatalogLogger,
    private readonly registry: GroupRegistry,
  ) {
    this.inference = new OutputInference(options, logger, (group) => this.scheduleRefresh(group));
  }

  /** Reads the persisted inferred types of a newly registered group (in the background). */
  groupAdded(group: APIGroup): void {
    this.inference.load(group.name, group.functions);
  }

  /** Reads the persisted inferred types of every registered group again (e.g. the cache provider changed). */
  reload(): void {
    for (const compiled of this.registry.sortedGroups()) this.groupAdded(compiled.group);
  }

  /** Merges the shape of a result into the inferred output type of the function at `path`; false when not inferred. */
  observe(path: string, value: unknown): boolean {
    const entry = this.registry.entry(path);
    if (!entry || !this.inference.eligible(entry.fn)) return false;
    this.inference.observe(entry.group.name, entry.fn, value);
    return true;
  }

  /** Resolves once every load, write and resulting recompile has happened. */
  async flush(): Promise<void> {
    await this.inference.flush();
    while (this.refreshing.size > 0) await new Promise((resolve) => setImmediate(resolve));
  }

  /** `inner` with every eligible function's results observed after its call. */
  dispatcher(inner: ApiDispatcher): ApiDispatcher {
    return withOutputObservation(inner, this.registry, this.inference);
  }

  private scheduleRefresh(groupName: string): void {
    if (this.refreshing.has(groupName)) return;
    this.refreshing.add(groupName);
    setImmediate(() => {
      this.refreshing.delete(groupName);
      const compiled = this.registry.group(groupName);
      if (!compiled) return;
      this.registry.setInferredOutputs(
        groupName,
        this.inference.schemasFor(groupName, compiled.group.functions),
      );
    });
  }
}

/** An ApiDispatcher whose resolved functions also hand their results to the inference. */
function withOutputObservation(
  inner: ApiDispatcher,
  registry: GroupRegistry,
  inference: OutputInference,
): ApiDispatcher {
  const observing = new WeakMap<FunctionEntry, ResolvedFunction>();
  return {
    resolve(path) {
      const resolved = inner.resolve(path);
      const entry = resolved && registry.entry(path);
      if (!resolved || !entry || !inference.eligible(entry.fn)) return resolved;
      let observed = observing.get(entry);
      if (!observed) {
        observed = {
          ...resolved,
          call: async (input, context) => {
            const result = await resolved.call(input, context);
            inference.observe(entry.group.name, entry.fn, result);
            return result;
          },
        };
        observing.set(entry, observed);
      }
      return observed;
    },
    suggest: (path, limit) => inner.suggest(path, limit),
  };
}
