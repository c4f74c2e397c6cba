import {
  type APIGroup,
  type ApiDispatcher,
  type ExploreResponse,
  type FunctionDef,
  parseOrThrow,
  type ResolvedFunction,
  type SearchResult,
  ValidationError,
} from '@agent-tool-protocol/protocol';
import { z } from 'zod';
import { assembleApiDefinitions } from './api-definitions.js';
import { CompiledGroup, type FunctionEntry } from './compiled-group.js';
import { ExploreTree } from './explore.js';
import { combineFingerprints, groupFingerprint } from './fingerprint.js';
import { oneLineSignature } from './group-declarations.js';
import { toIdentifier, typePrefix } from './identifiers.js';
import { createKeywordIndex, type KeywordDocument, type KeywordIndex } from './keyword-index.js';
import { closestPaths } from './suggest.js';
import { unresolvedRefs } from './unresolved-refs.js';
import { validateGroup } from './validate-group.js';

/** A pino-compatible logger (pino itself fits). */
export interface CatalogLogger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export interface CatalogOptions {
  logger?: CatalogLogger;
}

export interface DefinitionsResult {
  typescript: string;
  apiGroups: string[];
  version: string;
}

export interface CatalogGroupSummary {
  name: string;
  type: APIGroup['type'];
  description?: string;
  functionCount: number;
}

export interface CatalogFunction {
  group: APIGroup;
  fn: FunctionDef;
  /** Full alias path under `api` (`github.issues.create`). */
  path: string;
  /** One-line TypeScript signature. */
  signature: string;
}

const loggerMethod = z.custom<(...args: unknown[]) => void>(
  (value) => typeof value === 'function',
  'must be a function',
);
const CatalogOptionsSchema = z.looseObject({
  logger: z
    .looseObject({ debug: loggerMethod, info: loggerMethod, warn: loggerMethod, error: loggerMethod })
    .optional(),
});

const SILENT_LOGGER: CatalogLogger = { debug() {}, info() {}, warn() {}, error() {} };
const DEFINITIONS_CACHE_LIMIT = 32;
const DEFAULT_MAX_RESULTS = 10;
const MAX_PREFIX_ATTEMPTS = 1000;

/** Field weights of the keyword index: names count more than prose. */
const SEARCH_WEIGHTS = { name: 3, originalName: 2, group: 1, description: 1, parameters: 1, tags: 1 };

/** An absent or empty `apiGroups` list means every group. */
function isFilter(apiGroups: readonly string[] | undefined): apiGroups is readonly string[] {
  return apiGroups !== undefined && apiGroups.length > 0;
}

/** Everything derived from one catalog version, built lazily and dropped on the next change. */
interface VersionState {
  readonly sortedGroups: CompiledGroup[];
  readonly definitions: Map<string, DefinitionsResult>;
  keywordIndex?: KeywordIndex;
  explore?: ExploreTree;
}

/**
 * The registry of API groups: validation, aliasing, O(1) resolution of `api.*` paths, TypeScript
 * declarations, keyword search and the explore tree. Derived views are built once per version.
 */
export class Catalog implements ApiDispatcher {
  private readonly logger: CatalogLogger;
  private readonly groups = new Map<string, CompiledGroup>();
  private readonly groupsByAlias = new Map<string, CompiledGroup>();
  private readonly fingerprints = new Map<string, string>();
  private readonly typeNameOwners = new Map<string, string>();
  private readonly byPath = new Map<string, FunctionEntry>();
  private readonly byOriginalPath = new Map<string, FunctionEntry>();
  private readonly listeners = new Set<(version: string) => void>();
  private mutations = 0;
  private currentVersion: string;
  private state: VersionState | undefined;

  constructor(options: CatalogOptions = {}) {
    parseOrThrow(CatalogOptionsSchema, options, 'catalog options');
    this.logger = options.logger ?? SILENT_LOGGER;
    this.currentVersion = this.computeVersion();
  }

  /** Changes on every mutation: `<mutation count>-<hash of the groups' contents>`. */
  get version(): string {
    return this.currentVersion;
  }

  /** Registers a new group; throws ValidationError when it is invalid or its name is taken. */
  addGroup(group: APIGroup): void {
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
  }

  /** Adds the group, or replaces the registered group of the same name (e.g. an MCP tools refresh). */
  replaceGroup(group: APIGroup): void {
    const valid = validateGroup(group);
    const previous = this.groups.get(valid.name);
    if (previous) this.uninstall(previous);
    try {
      this.install(valid);
    } catch (error) {
      if (previous) this.install(previous.group, previous.prefix);
      throw error;
    }
    this.warnAboutRefs(valid);
    this.changed(`${previous ? 'replaced' : 'added'} group ${valid.name}`);
  }

  removeGroup(name: string): boolean {
    const compiled = this.groups.get(name);
    if (!compiled) return false;
    this.uninstall(compiled);
    this.changed(`removed group ${name}`);
    return true;
  }

  getGroup(name: string): APIGroup | undefined {
    return this.groups.get(name)?.group;
  }

  listGroups(): CatalogGroupSummary[] {
    return this.versionState().sortedGroups.map(({ group }) => {
      const summary: CatalogGroupSummary = {
        name: group.name,
        type: group.type,
        functionCount: group.functions.length,
      };
      if (group.description !== undefined) summary.description = group.description;
      return summary;
    });
  }

  /** Calls `listener(version)` after every change; returns the unsubscribe function. */
  onChange(listener: (version: string) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** The function at an `api.*` path (`github.issues.create`); the registered, unaliased path also works. */
  resolve(path: string): ResolvedFunction | undefined {
    return (this.byPath.get(path) ?? this.byOriginalPath.get(path))?.resolved;
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

  getFunction(path: string): CatalogFunction | undefined {
    const entry = this.byPath.get(path) ?? this.byOriginalPath.get(path);
    if (!entry) return undefined;
    const compiled = this.groups.get(entry.group.name)!;
    return {
      group: entry.group,
      fn: entry.fn,
      path: entry.path,
      signature: oneLineSignature(compiled, entry),
    };
  }

  /**
   * TypeScript declarations of `api.*` for every group, or for `apiGroups` (names or aliases; unknown
   * names are ignored and the answer's `apiGroups` lists what is included; an empty list means every
   * group). The same object is returned until the catalog changes.
   */
  getDefinitions(options: { apiGroups?: string[] } = {}): DefinitionsResult {
    const state = this.versionState();
    const filtered = isFilter(options.apiGroups);
    const selected = filtered ? this.selectGroups(options.apiGroups!) : state.sortedGroups;
    const key = filtered ? selected.map((compiled) => compiled.group.name).join('\n') : '*';
    const cached = state.definitions.get(key);
    if (cached) return cached;
    const result: DefinitionsResult = Object.freeze({
      typescript: assembleApiDefinitions(selected),
      apiGroups: Object.freeze(selected.map((compiled) => compiled.group.name)) as string[],
      version: this.currentVersion,
    });
    if (state.definitions.size >= DEFINITIONS_CACHE_LIMIT) {
      const oldest = state.definitions.keys().next().value;
      if (oldest !== undefined) state.definitions.delete(oldest);
    }
    state.definitions.set(key, result);
    return result;
  }

  /** Keyword (BM25) search over function names, group names, descriptions and parameter names. */
  search(query: string, options: { apiGroups?: string[]; maxResults?: number } = {}): SearchResult[] {
    const state = this.versionState();
    state.keywordIndex ??= this.buildKeywordIndex(state.sortedGroups);
    const maxResults = Math.max(1, Math.floor(options.maxResults ?? DEFAULT_MAX_RESULTS));
    const allowed = isFilter(options.apiGroups)
      ? new Set(this.selectGroups(options.apiGroups!).map((compiled) => compiled.alias))
      : undefined;
    const filter = allowed
      ? (path: string) => allowed.has(this.byPath.get(path)?.groupAlias ?? '')
      : undefined;
    return state.keywordIndex.search(query, maxResults, filter).map((hit) => {
      const entry = this.byPath.get(hit.id)!;
      const compiled = this.groups.get(entry.group.name)!;
      return {
        apiGroup: entry.group.name,
        functionName: entry.name,
        description: entry.fn.description ?? '',
        signature: oneLineSignature(compiled, entry),
        relevanceScore: Math.round(hit.score * 10_000) / 10_000,
      };
    });
  }

  /** A directory or function of the explore tree; NotFoundError naming the path when absent. */
  explore(path: string): ExploreResponse {
    const state = this.versionState();
    state.explore ??= new ExploreTree(state.sortedGroups);
    return state.explore.explore(path);
  }

  private selectGroups(names: readonly string[]): CompiledGroup[] {
    const selected = new Set<CompiledGroup>();
    for (const name of names) {
      const compiled = this.groups.get(name) ?? this.groupsByAlias.get(name);
      if (compiled) selected.add(compiled);
      else this.logger.debug({ group: name }, 'catalog: ignoring unknown API group in filter');
    }
    return [...selected].sort((a, b) => (a.group.name < b.group.name ? -1 : 1));
  }

  private install(group: APIGroup, preferredPrefix?: string): void {
    const alias = toIdentifier(group.name);
    const aliasOwner = this.groupsByAlias.get(alias);
    if (aliasOwner) {
      const message = `group name "${group.name}" is written "${alias}" in code, which group "${aliasOwner.group.name}" already uses`;
      throw new ValidationError(`Invalid API group "${group.name}": name: ${message}`, [
        { path: 'name', message },
      ]);
    }
    const compiled = this.compileWithFreePrefix(group, preferredPrefix);
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
  private compileWithFreePrefix(group: APIGroup, preferredPrefix?: string): CompiledGroup {
    const base = typePrefix(toIdentifier(group.name));
    const candidates = preferredPrefix ? [preferredPrefix] : [];
    for (let attempt = 1; attempt <= MAX_PREFIX_ATTEMPTS; attempt++) {
      candidates.push(attempt === 1 ? base : `${base}${attempt}`);
    }
    for (const prefix of candidates) {
      const compiled = new CompiledGroup(group, prefix);
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
    this.state = undefined;
    this.logger.debug({ version: this.currentVersion }, `catalog: ${reason}`);
    for (const listener of [...this.listeners]) {
      try {
        listener(this.currentVersion);
      } catch (error) {
        this.logger.error({ err: error }, 'catalog: an onChange listener threw');
      }
    }
  }

  private versionState(): VersionState {
    this.state ??= {
      sortedGroups: [...this.groups.values()].sort((a, b) => (a.group.name < b.group.name ? -1 : 1)),
      definitions: new Map(),
    };
    return this.state;
  }

  private buildKeywordIndex(groups: readonly CompiledGroup[]): KeywordIndex {
    const documents: KeywordDocument[] = [];
    for (const compiled of groups) {
      const groupText = `${compiled.group.name} ${compiled.alias === compiled.group.name ? '' : compiled.alias}`;
      for (const entry of compiled.entries) {
        const properties = entry.fn.inputSchema?.properties;
        const parameters =
          typeof properties === 'object' && properties !== null ? Object.keys(properties).join(' ') : '';
        documents.push({
          id: entry.path,
          fields: [
            { text: entry.name, weight: SEARCH_WEIGHTS.name },
            { text: entry.fn.name === entry.name ? '' : entry.fn.name, weight: SEARCH_WEIGHTS.originalName },
            { text: groupText, weight: SEARCH_WEIGHTS.group },
            { text: entry.fn.description ?? '', weight: SEARCH_WEIGHTS.description },
            { text: parameters, weight: SEARCH_WEIGHTS.parameters },
            { text: (entry.fn.metadata?.tags ?? []).join(' '), weight: SEARCH_WEIGHTS.tags },
          ],
        });
      }
    }
    return createKeywordIndex(documents);
  }
}
