import {
  type APIGroup,
  type ApiDispatcher,
  type JSONSchema,
  type ResolvedFunction,
  toIdentifier,
  ValidationError,
} from '@agent-tool-protocol/protocol';
import type { CatalogGroupSummary, CatalogLogger } from './catalog-types.js';
import { CompiledGroup, type FunctionEntry } from './compiled-group.js';
import { combineFingerprints, groupFingerprint } from './fingerprint.js';
import { typePrefix } from './identifiers.js';
import { PerVersion } from './per-version.js';
import { closestPaths } from './suggest.js';
import { unresolvedRefs } from './unresolved-refs.js';
import { validateGroup } from './validate-group.js';

const MAX_PREFIX_ATTEMPTS = 1000;

function byName(a: CompiledGroup, b: CompiledGroup): number {
  return a.group.name < b.group.name ? -1 : 1;
}

/**
 * The registered API groups: validation, aliasing, type-name prefixes, O(1) lookup of `api.*`
 * paths (alias or registered), "did you mean" suggestions, and a version that changes on every
 * mutation. Every view of the catalog (declarations, search, explore) is derived from it.
 */
export class GroupRegistry implements ApiDispatcher {
  private readonly groups = new Map<string, CompiledGroup>();
  private readonly groupsByAlias = new Map<string, CompiledGroup>();
  private readonly fingerprints = new Map<string, string>();
  private readonly typeNameOwners = new Map<string, string>();
  private readonly byPath = new Map<string, FunctionEntry>();
  private readonly byOriginalPath = new Map<string, FunctionEntry>();
  private readonly listeners = new Set<(version: string) => void>();
  private readonly sorted = new PerVersion<readonly CompiledGroup[]>();
  private mutations = 0;
  private currentVersion: string;

  constructor(private readonly logger: CatalogLogger) {
    this.currentVersion = this.computeVersion();
  }

  /** `<mutation count>-<hash of the groups' contents>`. */
  get version(): string {
    return this.currentVersion;
  }

  /** The hash part of the version: unchanged by changes that leave the groups as they were. */
  get contentKey(): string {
    return this.currentVersion.slice(this.currentVersion.indexOf('-') + 1);
  }

  get functionCount(): number {
    return this.byPath.size;
  }

  /** Registers a new group; throws ValidationError when it is invalid or its name is taken. */
  add(group: APIGroup): APIGroup {
    const valid = validateGroup(group);
    if (this.groups.has(valid.name)) {
      throw new ValidationError(
        `Invalid API group "${valid.name}": name: a group with this name already exists`,
        [{ path: 'name', message: 'a group with this name already exists' }],
      );
    }
    this.install(valid);
    this.warnAboutRefs(valid);
    this.changed(`added group ${valid.name}`);
    return valid;
  }

  /** Adds the group, or replaces the registered group of the same name; on failure the old one stays. */
  replace(group: APIGroup): APIGroup {
    const valid = validateGroup(group);
    const previous = this.groups.get(valid.name);
    if (previous) this.uninstall(previous);
    try {
      this.install(valid);
    } catch (error) {
      if (previous) this.install(previous.group, previous.prefix, previous.inferredOutputs);
      throw error;
    }
    this.warnAboutRefs(valid);
    this.changed(`${previous ? 'replaced' : 'added'} group ${valid.name}`);
    return valid;
  }

  remove(name: string): boolean {
    const compiled = this.groups.get(name);
    if (!compiled) return false;
    this.uninstall(compiled);
    this.changed(`removed group ${name}`);
    return true;
  }

  /**
   * Recompiles a group with new inferred output schemas (same group, same type-name prefix);
   * false when the group is gone or the schemas are the ones it has.
   */
  setInferredOutputs(name: string, inferred: ReadonlyMap<string, JSONSchema>): boolean {
    const compiled = this.groups.get(name);
    if (!compiled || sameSchemas(compiled.inferredOutputs, inferred)) return false;
    this.uninstall(compiled);
    this.install(compiled.group, compiled.prefix, inferred);
    this.changed(`inferred output types of group ${name}`);
    return true;
  }

  group(name: string): CompiledGroup | undefined {
    return this.groups.get(name);
  }

  /** Every group, sorted by name (the same array until the next change). */
  sortedGroups(): readonly CompiledGroup[] {
    return this.sorted.get(this.currentVersion, () => [...this.groups.values()].sort(byName));
  }

  /** The groups `names` (registered names or aliases) select, sorted by name; unknown names are ignored. */
  select(names: readonly string[]): CompiledGroup[] {
    const selected = new Set<CompiledGroup>();
    for (const name of names) {
      const compiled = this.groups.get(name) ?? this.groupsByAlias.get(name);
      if (compiled) selected.add(compiled);
      else this.logger.debug({ group: name }, 'catalog: ignoring unknown API group in filter');
    }
    return [...selected].sort(byName);
  }

  summaries(): CatalogGroupSummary[] {
    return this.sortedGroups().map(({ group }) => {
      const summary: CatalogGroupSummary = {
        name: group.name,
        type: group.type,
        functionCount: group.functions.length,
      };
      if (group.description !== undefined) summary.description = group.description;
      return summary;
    });
  }

  /** The function at an alias path or, failing that, a registered path. */
  entry(path: string): FunctionEntry | undefined {
    return this.byPath.get(path) ?? this.byOriginalPath.get(path);
  }

  /** The function at an alias path only (what search and the vector index store). */
  entryAt(aliasPath: string): FunctionEntry | undefined {
    return this.byPath.get(aliasPath);
  }

  /** The compiled group a function entry belongs to. */
  compiledOf(entry: FunctionEntry): CompiledGroup {
    return this.groups.get(entry.group.name)!;
  }

  resolve(path: string): ResolvedFunction | undefined {
    return this.entry(path)?.resolved;
  }

  /**
   * Registered paths close to `path` (edit distance, shared words), best first. When `path` names a
   * known group, that group's functions are searched first (cheap with thousands of functions).
   */
  suggest(path: string, limit = 5): string[] {
    const first = path.split('.')[0] ?? '';
    const group = this.groupsByAlias.get(first) ?? this.groups.get(first);
    if (group) {
      const inGroup = closestPaths(
        path,
        group.entries.map((entry) => entry.path),
        limit,
      );
      if (inGroup.length > 0) return inGroup;
    }
    return closestPaths(path, this.byPath.keys(), limit);
  }

  /** Calls `listener(version)` after every change; returns the unsubscribe function. */
  onChange(listener: (version: string) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private install(
    group: APIGroup,
    preferredPrefix?: string,
    inferred?: ReadonlyMap<string, JSONSchema>,
  ): void {
    const alias = toIdentifier(group.name);
    const aliasOwner = this.groupsByAlias.get(alias);
    if (aliasOwner) {
      const message = `group name "${group.name}" is written "${alias}" in code, which group "${aliasOwner.group.name}" already uses`;
      throw new ValidationError(`Invalid API group "${group.name}": name: ${message}`, [
        { path: 'name', message },
      ]);
    }
    const compiled = this.compileWithFreePrefix(group, preferredPrefix, inferred);
    this.groups.set(group.name, compiled);
    this.groupsByAlias.set(alias, compiled);
    this.fingerprints.set(group.name, groupFingerprint(group));
    for (const name of compiled.typeNames) this.typeNameOwners.set(name, group.name);
    for (const entry of compiled.entries) {
      this.byPath.set(entry.path, entry);
      if (entry.originalPath !== entry.path && !this.byOriginalPath.has(entry.originalPath)) {
        this.byOriginalPath.set(entry.originalPath, entry);
      }
    }
  }

  /** Type names are global in the declarations: a group whose names clash takes prefix `Name2`, `Name3`, …. */
  private compileWithFreePrefix(
    group: APIGroup,
    preferredPrefix?: string,
    inferred?: ReadonlyMap<string, JSONSchema>,
  ): CompiledGroup {
    const base = typePrefix(toIdentifier(group.name));
    const candidates = preferredPrefix ? [preferredPrefix] : [];
    for (let attempt = 1; attempt <= MAX_PREFIX_ATTEMPTS; attempt++) {
      candidates.push(attempt === 1 ? base : `${base}${attempt}`);
    }
    for (const prefix of candidates) {
      const compiled = new CompiledGroup(group, prefix, inferred);
      const clash = [...compiled.typeNames].some((name) => this.typeNameOwners.has(name));
      if (!clash) return compiled;
    }
    throw new ValidationError(`Invalid API group "${group.name}": no free type name prefix`, [
      { path: 'name', message: 'no free type name prefix' },
    ]);
  }

  private uninstall(compiled: CompiledGroup): void {
    this.groups.delete(compiled.group.name);
    this.groupsByAlias.delete(compiled.alias);
    this.fingerprints.delete(compiled.group.name);
    for (const name of compiled.typeNames) {
      if (this.typeNameOwners.get(name) === compiled.group.name) this.typeNameOwners.delete(name);
    }
    for (const entry of compiled.entries) {
      if (this.byPath.get(entry.path) === entry) this.byPath.delete(entry.path);
      if (this.byOriginalPath.get(entry.originalPath) === entry)
        this.byOriginalPath.delete(entry.originalPath);
    }
  }

  private warnAboutRefs(group: APIGroup): void {
    const refs = unresolvedRefs(group);
    if (refs.length === 0) return;
    this.logger.warn(
      { group: group.name, refs: refs.slice(0, 20), count: refs.length },
      `catalog: ${refs.length} $ref(s) in group "${group.name}" cannot be resolved; their types are unknown`,
    );
  }

  private computeVersion(): string {
    const hashes = [...this.fingerprints].map(([name, hash]) => `${name}\u0000${hash}`);
    return `${this.mutations}-${combineFingerprints(hashes)}`;
  }

  private changed(reason: string): void {
    this.mutations++;
    this.currentVersion = this.computeVersion();
    this.logger.debug({ version: this.currentVersion }, `catalog: ${reason}`);
    for (const listener of [...this.listeners]) {
      try {
        listener(this.currentVersion);
      } catch (error) {
        this.logger.error({ err: error }, 'catalog: an onChange listener threw');
      }
    }
  }
}

function sameSchemas(a: ReadonlyMap<string, JSONSchema>, b: ReadonlyMap<string, JSONSchema>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, schema] of a) if (JSON.stringify(schema) !== JSON.stringify(b.get(name))) return false;
  return true;
}
