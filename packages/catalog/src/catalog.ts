import {
  type APIGroup,
  type ApiDispatcher,
  type ExploreResponse,
  type FunctionDef,
  type JSONSchema,
  type Logger,
  parseOrThrow,
  type ResolvedFunction,
  type SearchResult,
  ValidationError,
} from '@agent-tool-protocol/protocol';
import { z } from 'zod';
import { assembleApiDefinitions, assembleSelectedDefinitions } from './api-definitions.js';
import { compactApiDefinitions } from './compact-definitions.js';
import { CompiledGroup, type FunctionEntry } from './compiled-group.js';
import { ExploreTree } from './explore.js';
import { combineFingerprints, groupFingerprint } from './fingerprint.js';
import { fuseHits } from './fusion.js';
import { oneLineSignature } from './group-declarations.js';
import { toIdentifier, typePrefix } from './identifiers.js';
import { createKeywordIndex, type KeywordDocument, type KeywordIndex } from './keyword-index.js';
import { OutputInference, type OutputInferenceOptions } from './output-inference.js';
import { embeddingText } from './search-documents.js';
import {
  type SemanticDocument,
  SemanticSearch,
  type SemanticSearchOptions,
  type SemanticStatus,
} from './semantic-search.js';
import { closestPaths } from './suggest.js';
import { unresolvedRefs } from './unresolved-refs.js';
import { validateGroup } from './validate-group.js';

/** @deprecated Use `Logger` from `@agent-tool-protocol/protocol` (the same shape). */
export type CatalogLogger = Logger;

export interface CatalogOptions {
  logger?: CatalogLogger;
  /** Hybrid (keyword + embedding) search; see `configureSemanticSearch`. */
  semanticSearch?: SemanticSearchOptions;
  /** Output types inferred from results for functions without an output schema; see `configureOutputInference`. */
  outputInference?: OutputInferenceOptions;
}

export interface DefinitionsOptions {
  /** Group names or aliases; absent or empty: every group. */
  apiGroups?: string[];
  /**
   * Only these functions, with full signatures: paths (`github.issues.create`, registered or
   * aliased) or namespace prefixes (`github.issues`, `github.issues.*`).
   */
  functions?: string[];
  /**
   * `full` (default): every signature and type; `compact`: groups and namespaces with one-line
   * descriptions; `auto`: full when a filter is given or the full text is small (≤ 32,000
   * characters, about 8,000 tokens), compact otherwise.
   */
  detail?: 'full' | 'compact' | 'auto';
}

export interface SearchOptions {
  apiGroups?: string[];
  maxResults?: number;
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
/** `detail: 'auto'` gives full declarations up to this size (about 8,000 tokens)… */
const AUTO_FULL_MAX_CHARS = 32_000;
/** …and never for more functions than this (no need to render them to know they are too many). */
const AUTO_FULL_MAX_FUNCTIONS = 400;
const MAX_PREFIX_ATTEMPTS = 1000;

/** Field weights of the keyword index: names count more than prose. */
const SEARCH_WEIGHTS = { name: 3, originalName: 2, group: 1, description: 1, parameters: 1, tags: 1 };

function sameSchemas(a: ReadonlyMap<string, JSONSchema>, b: ReadonlyMap<string, JSONSchema>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, schema] of a) if (JSON.stringify(schema) !== JSON.stringify(b.get(name))) return false;
  return true;
}

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
  semanticDocuments?: SemanticDocument[];
  contentKey?: string;
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
  private semantic: SemanticSearch | undefined;
  private inference: OutputInference | undefined;
  private readonly observing = new WeakMap<FunctionEntry, ResolvedFunction>();
  private readonly refreshing = new Set<string>();

  constructor(options: CatalogOptions = {}) {
    parseOrThrow(CatalogOptionsSchema, options, 'catalog options');
    this.logger = options.logger ?? SILENT_LOGGER;
    this.currentVersion = this.computeVersion();
    if (options.semanticSearch) this.configureSemanticSearch(options.semanticSearch);
    if (options.outputInference) this.configureOutputInference(options.outputInference);
  }

  /**
   * Turns on output type inference (`undefined` turns it off): results of functions without an
   * output schema (sensitive ones only when allowed) are observed through `resolve(…).call`, their
   * merged shape shows in the declarations as `@inferred`, and persists in the cache provider.
   */
  configureOutputInference(options: OutputInferenceOptions | undefined): void {
    this.inference = options
      ? new OutputInference(options, this.logger, (group) => this.scheduleInferredRefresh(group))
      : undefined;
    if (this.inference)
      for (const compiled of this.groups.values())
        this.inference.load(compiled.group.name, compiled.group.functions);
    else
      for (const compiled of [...this.groups.values()])
        if (compiled.inferredOutputs.size > 0) this.scheduleInferredRefresh(compiled.group.name);
  }

  /** Merges the shape of a result of the function at `path` into its inferred output type; false when not inferred. */
  observeOutput(path: string, value: unknown): boolean {
    const entry = this.byPath.get(path) ?? this.byOriginalPath.get(path);
    if (!entry || !this.inference?.eligible(entry.fn)) return false;
    this.inference.observe(entry.group.name, entry.fn, value);
    return true;
  }

  /** Resolves once inferred output types loaded or observed so far are stored and shown in the declarations. */
  async flushOutputInference(): Promise<void> {
    await this.inference?.flush();
    while (this.refreshing.size > 0) await new Promise((resolve) => setImmediate(resolve));
  }

  /**
   * Turns on hybrid search with an embedding model (`undefined` turns it off). Function embeddings
   * are computed in the background on the first `searchHybrid` (or `prepareSemanticSearch`);
   * until then, and whenever the model fails, search is keyword-only.
   */
  configureSemanticSearch(options: SemanticSearchOptions | undefined): void {
    if (options !== undefined) {
      const embeddings = options.embeddings as unknown as Record<string, unknown> | undefined;
      if (typeof embeddings?.embedQuery !== 'function' || typeof embeddings.embedDocuments !== 'function') {
        const message = 'must have embedQuery and embedDocuments functions';
        throw new ValidationError(`Invalid semantic search options: embeddings: ${message}`, [
          { path: 'embeddings', message },
        ]);
      }
    }
    this.semantic = options ? new SemanticSearch(options, this.logger) : undefined;
  }

  /** Embeds every function of the current version (from the cache when possible); true when the vector index is ready. */
  async prepareSemanticSearch(): Promise<boolean> {
    if (!this.semantic) return false;
    const index = await this.semantic.prepare(this.contentKey(), () => this.semanticDocuments());
    return index !== undefined;
  }

  /** Where the embedding index stands; undefined without semantic search. */
  semanticStatus(): SemanticStatus | undefined {
    return this.semantic?.status();
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
    this.inference?.load(valid.name, valid.functions);
  }

  /** Adds the group, or replaces the registered group of the same name (e.g. an MCP tools refresh). */
  replaceGroup(group: APIGroup): void {
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
    this.inference?.load(valid.name, valid.functions);
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
    const entry = this.byPath.get(path) ?? this.byOriginalPath.get(path);
    if (!entry || !this.inference?.eligible(entry.fn)) return entry?.resolved;
    let observed = this.observing.get(entry);
    if (!observed) {
      const resolved = entry.resolved;
      observed = {
        ...resolved,
        call: async (input, context) => {
          const result = await resolved.call(input, context);
          this.inference?.observe(entry.group.name, entry.fn, result);
          return result;
        },
      };
      this.observing.set(entry, observed);
    }
    return observed;
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
   * group), or for some `functions` only; `detail: 'compact'` gives the namespace index instead of
   * signatures. The same object is returned until the catalog changes.
   */
  getDefinitions(options: DefinitionsOptions = {}): DefinitionsResult {
    const state = this.versionState();
    const filtered = isFilter(options.apiGroups);
    const selected = filtered ? this.selectGroups(options.apiGroups!) : state.sortedGroups;
    const functions = isFilter(options.functions) ? [...new Set(options.functions)].sort() : undefined;
    const detail =
      functions || filtered ? this.checkDetail(options.detail, 'full') : this.resolveDetail(options.detail);
    const groupKey = filtered ? selected.map((compiled) => compiled.group.name).join('\n') : '*';
    const key = `${detail}\u0000${groupKey}\u0000${functions?.join('\n') ?? ''}`;
    const cached = state.definitions.get(key);
    if (cached) return cached;
    let typescript: string;
    let included = selected;
    if (functions) {
      const picked = this.pickFunctions(selected, functions);
      included = picked.selection.map((item) => item.compiled);
      const notes = picked.unmatched.map(
        (pattern) => `// no function matches "${pattern.replace(/[\r\n]/g, ' ')}": try search or explore\n`,
      );
      typescript = `${notes.join('')}${assembleSelectedDefinitions(picked.selection)}`;
    } else {
      typescript = detail === 'compact' ? compactApiDefinitions(selected) : assembleApiDefinitions(selected);
    }
    const result: DefinitionsResult = Object.freeze({
      typescript,
      apiGroups: Object.freeze(included.map((compiled) => compiled.group.name)) as string[],
      version: this.currentVersion,
    });
    if (state.definitions.size >= DEFINITIONS_CACHE_LIMIT) {
      const oldest = state.definitions.keys().next().value;
      if (oldest !== undefined) state.definitions.delete(oldest);
    }
    state.definitions.set(key, result);
    return result;
  }

  private checkDetail(detail: unknown, auto: 'full' | 'compact'): 'full' | 'compact' {
    if (detail === undefined || detail === 'auto') return detail === undefined ? 'full' : auto;
    if (detail === 'full' || detail === 'compact') return detail;
    const message = `must be one of full, compact, auto (got ${JSON.stringify(detail)})`;
    throw new ValidationError(`Invalid definitions options: detail: ${message}`, [
      { path: 'detail', message },
    ]);
  }

  /** `auto` on the whole catalog: compact when the full declarations would not fit a small context. */
  private resolveDetail(detail: unknown): 'full' | 'compact' {
    if (detail !== 'auto') return this.checkDetail(detail, 'full');
    if (this.byPath.size > AUTO_FULL_MAX_FUNCTIONS) return 'compact';
    return this.getDefinitions({ detail: 'full' }).typescript.length <= AUTO_FULL_MAX_CHARS
      ? 'full'
      : 'compact';
  }

  /** The functions of `groups` that `patterns` name (paths or namespace prefixes, `.*` allowed). */
  private pickFunctions(
    groups: readonly CompiledGroup[],
    patterns: readonly string[],
  ): { selection: { compiled: CompiledGroup; entries: FunctionEntry[] }[]; unmatched: string[] } {
    const prefixes = patterns.map((pattern) => pattern.trim().replace(/\.\*$/, ''));
    const matched = new Set<string>();
    const selection: { compiled: CompiledGroup; entries: FunctionEntry[] }[] = [];
    for (const compiled of groups) {
      const entries = compiled.entries.filter((entry) => {
        let hit = false;
        for (const prefix of prefixes) {
          if (
            [entry.path, entry.originalPath].some((path) => path === prefix || path.startsWith(`${prefix}.`))
          ) {
            matched.add(prefix);
            hit = true;
          }
        }
        return hit;
      });
      if (entries.length > 0) selection.push({ compiled, entries });
    }
    return { selection, unmatched: prefixes.filter((prefix) => !matched.has(prefix)) };
  }

  /** Keyword (BM25) search over function names, group names, descriptions and parameter names. */
  search(query: string, options: SearchOptions = {}): SearchResult[] {
    const state = this.versionState();
    state.keywordIndex ??= this.buildKeywordIndex(state.sortedGroups);
    return this.toResults(
      state.keywordIndex.search(query, this.maxResults(options), this.groupFilter(options)),
    );
  }

  /**
   * Hybrid search: keyword (BM25) and embedding candidates fused into one ranking (see
   * docs/discovery.md). Keyword-only, like `search`, without semantic search, while the function
   * embeddings are still being computed, or when the model fails. `relevanceScore` is the fused
   * score (0..1) when both rankers took part.
   */
  async searchHybrid(query: string, options: SearchOptions = {}): Promise<SearchResult[]> {
    const semantic = this.semantic;
    if (!semantic) return this.search(query, options);
    const state = this.versionState();
    const key = this.contentKey();
    const vectorIndex = semantic.indexFor(key, () => this.semanticDocuments());
    if (!vectorIndex) return this.search(query, options);
    const queryVector = await semantic.queryVector(query);
    if (!queryVector || this.contentKey() !== key) return this.search(query, options);
    state.keywordIndex ??= this.buildKeywordIndex(state.sortedGroups);
    const filter = this.groupFilter(options);
    const maxResults = this.maxResults(options);
    const pool = Math.max(semantic.candidates, maxResults);
    const fused = fuseHits(
      state.keywordIndex.search(query, pool, filter),
      vectorIndex.search(queryVector, pool, filter),
      semantic.fusion,
    );
    return this.toResults(fused.slice(0, maxResults));
  }

  private maxResults(options: SearchOptions): number {
    return Math.max(1, Math.floor(options.maxResults ?? DEFAULT_MAX_RESULTS));
  }

  private groupFilter(options: SearchOptions): ((path: string) => boolean) | undefined {
    if (!isFilter(options.apiGroups)) return undefined;
    const allowed = new Set(this.selectGroups(options.apiGroups!).map((compiled) => compiled.alias));
    return (path: string) => allowed.has(this.byPath.get(path)?.groupAlias ?? '');
  }

  private toResults(hits: readonly { id: string; score: number }[]): SearchResult[] {
    const results: SearchResult[] = [];
    for (const hit of hits) {
      const entry = this.byPath.get(hit.id);
      if (!entry) continue;
      const compiled = this.groups.get(entry.group.name)!;
      results.push({
        apiGroup: entry.group.name,
        functionName: entry.name,
        description: entry.fn.description ?? '',
        signature: oneLineSignature(compiled, entry),
        relevanceScore: Math.round(hit.score * 10_000) / 10_000,
      });
    }
    return results;
  }

  /**
   * A hash of the registered groups only (not the mutation count, not inferred output types, which
   * are not embedded): the vector index survives changes that leave every function's text as it was.
   */
  private contentKey(): string {
    const state = this.versionState();
    state.contentKey ??= this.currentVersion.slice(this.currentVersion.indexOf('-') + 1);
    return state.contentKey;
  }

  private semanticDocuments(): SemanticDocument[] {
    const state = this.versionState();
    state.semanticDocuments ??= state.sortedGroups.flatMap((compiled) =>
      compiled.entries.map((entry) => ({ id: entry.path, text: embeddingText(entry) })),
    );
    return state.semanticDocuments;
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

  /** Recompiles a group with its current inferred output types, batched per tick. */
  private scheduleInferredRefresh(groupName: string): void {
    if (this.refreshing.has(groupName)) return;
    this.refreshing.add(groupName);
    setImmediate(() => {
      this.refreshing.delete(groupName);
      const compiled = this.groups.get(groupName);
      if (!compiled) return;
      const inferred = this.inference?.schemasFor(groupName, compiled.group.functions) ?? new Map();
      if (sameSchemas(compiled.inferredOutputs, inferred)) return;
      this.uninstall(compiled);
      this.install(compiled.group, compiled.prefix, inferred);
      this.changed(`inferred output types of group ${groupName}`);
    });
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
