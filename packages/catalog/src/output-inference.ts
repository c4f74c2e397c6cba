import type { CacheProvider, FunctionDef, JSONSchema } from '@agent-tool-protocol/protocol';
import type { CatalogLogger } from './catalog-types.js';
import { INFERRED_MARKER, inferSchema, mergeSchemas } from './infer-schema.js';

// Output types for functions that declare none, inferred from their real results: each result's
// schema (never its values) is merged into the function's schema, which is kept in the cache
// provider so restarts and other instances start from what was already seen. Every client sees the
// declarations, so by default only the shape is kept (no object key is a property name): a key one
// client's result carried never reaches another client. Groups that opt in keep field names.

/** Where inferred types with field names persist (groups in `fieldNames`). */
export const OUTPUT_TYPE_KEY_PREFIX = 'atp:catalog:output-type:';
/** Where shape-only inferred types persist. */
export const OUTPUT_SHAPE_KEY_PREFIX = 'atp:catalog:output-shape:';

export interface OutputInferenceOptions {
  /**
   * Keep the result's object keys as property names: for every group (`true`), for the groups listed,
   * or for none (default `false`: shape only — arrays, maps and value types, never a key). Keys are
   * text from results and the declarations are shown to every client: opt in only for groups whose
   * results carry no client's data in their keys (docs/security.md).
   */
  fieldNames?: boolean | readonly string[];
  /** Where inferred schemas persist; memory only without it. */
  cache?: CacheProvider | (() => CacheProvider | undefined);
  /** Also learn from functions whose `metadata.sensitivity` is `sensitive` (default false). */
  includeSensitive?: boolean;
  /** Results looked at per function; later ones are not (default 50). */
  maxObservations?: number;
  /** Lifetime of a persisted schema, renewed on every change (default 30 days). */
  cacheTtlSeconds?: number;
}

interface Inferred {
  schema: JSONSchema;
  observations: number;
}

function stableKey(schema: JSONSchema): string {
  return JSON.stringify(schema);
}

function isStored(value: unknown): value is Inferred {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Inferred).schema === 'object' &&
    (value as Inferred).schema !== null &&
    typeof (value as Inferred).observations === 'number'
  );
}

export class OutputInference {
  private readonly known = new Map<string, Inferred>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly cache: () => CacheProvider | undefined;
  private readonly maxObservations: number;
  private readonly ttlSeconds: number;

  constructor(
    private readonly options: OutputInferenceOptions,
    private readonly logger: CatalogLogger,
    /** Called when a group's inferred schemas changed. */
    private readonly onChange: (group: string) => void,
  ) {
    const cache = options.cache;
    this.cache = typeof cache === 'function' ? cache : () => cache;
    this.maxObservations = Math.max(1, options.maxObservations ?? 50);
    this.ttlSeconds = options.cacheTtlSeconds ?? 30 * 24 * 3600;
  }

  /** Functions without a declared output schema; sensitive ones only when allowed. */
  eligible(fn: FunctionDef): boolean {
    const declared = fn.outputSchema;
    if (typeof declared === 'object' && declared !== null) return false;
    return this.options.includeSensitive === true || fn.metadata?.sensitivity !== 'sensitive';
  }

  /** Merges the shape of `value` into the function's inferred output type. */
  observe(group: string, fn: FunctionDef, value: unknown): void {
    if (!this.eligible(fn)) return;
    const key = `${group}\u0000${fn.name}`;
    const current = this.known.get(key);
    if (current && current.observations >= this.maxObservations) return;
    let schema: JSONSchema;
    try {
      const observed = inferSchema(value, { fieldNames: this.keepsFieldNames(group) });
      schema = current ? mergeSchemas(current.schema, observed) : observed;
    } catch (error) {
      this.logger.debug({ err: error, group, function: fn.name }, 'catalog: could not infer an output type');
      return;
    }
    const changed = !current || stableKey(current.schema) !== stableKey(schema);
    this.known.set(key, { schema, observations: (current?.observations ?? 0) + 1 });
    if (!changed) return;
    this.onChange(group);
    this.track(this.persist(group, fn.name));
  }

  /** The inferred output schemas of `functions` (marked `x-atp-inferred`), by function name. */
  schemasFor(group: string, functions: readonly FunctionDef[]): Map<string, JSONSchema> {
    const schemas = new Map<string, JSONSchema>();
    for (const fn of functions) {
      if (!this.eligible(fn)) continue;
      const inferred = this.known.get(`${group}\u0000${fn.name}`);
      if (inferred && Object.keys(inferred.schema).length > 0) {
        schemas.set(fn.name, { ...inferred.schema, [INFERRED_MARKER]: true });
      }
    }
    return schemas;
  }

  /** Reads the persisted schemas of a group's eligible functions (in the background; see `flush`). */
  load(group: string, functions: readonly FunctionDef[]): void {
    const cache = this.cache();
    if (!cache) return;
    const eligible = functions.filter((fn) => this.eligible(fn));
    if (eligible.length === 0) return;
    const loading = Promise.all(
      eligible.map(async (fn) => {
        const stored = await cache.get(this.cacheKey(group, fn.name)).catch(() => undefined);
        return isStored(stored) ? this.absorb(group, fn.name, stored) : false;
      }),
    ).then((changes) => {
      if (changes.some(Boolean)) this.onChange(group);
    });
    this.track(loading);
  }

  /** Resolves when every background load and write has finished. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private keepsFieldNames(group: string): boolean {
    const names = this.options.fieldNames;
    return names === true || (Array.isArray(names) && names.includes(group));
  }

  private cacheKey(group: string, name: string): string {
    const prefix = this.keepsFieldNames(group) ? OUTPUT_TYPE_KEY_PREFIX : OUTPUT_SHAPE_KEY_PREFIX;
    return `${prefix}${group}:${name}`;
  }

  /** Merges a stored schema into memory; true when that changed what is known. */
  private absorb(group: string, name: string, stored: Inferred): boolean {
    const key = `${group}\u0000${name}`;
    const current = this.known.get(key);
    const schema = current ? mergeSchemas(current.schema, stored.schema) : stored.schema;
    const observations = Math.max(current?.observations ?? 0, stored.observations);
    this.known.set(key, { schema, observations });
    return !current || stableKey(current.schema) !== stableKey(schema);
  }

  /** Read, merge, write: another instance's observations are kept. */
  private async persist(group: string, name: string): Promise<void> {
    const cache = this.cache();
    if (!cache) return;
    const key = this.cacheKey(group, name);
    try {
      const stored = await cache.get(key);
      if (isStored(stored) && this.absorb(group, name, stored)) this.onChange(group);
      const merged = this.known.get(`${group}\u0000${name}`)!;
      await cache.set(key, merged, this.ttlSeconds);
    } catch (error) {
      this.logger.debug(
        { err: error, group, function: name },
        'catalog: could not store an inferred output type',
      );
    }
  }

  private track(promise: Promise<unknown>): void {
    this.pending.add(promise);
    const done = () => {
      this.pending.delete(promise);
    };
    promise.then(done, done);
  }
}
