import { ValidationError } from '@agent-tool-protocol/protocol';
import { assembleApiDefinitions, assembleSelectedDefinitions } from './api-definitions.js';
import { isFilter } from './catalog-types.js';
import { compactApiDefinitions } from './compact-definitions.js';
import type { CompiledGroup, FunctionEntry } from './compiled-group.js';
import type { GroupRegistry } from './group-registry.js';
import { PerVersion } from './per-version.js';

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

export interface DefinitionsResult {
  typescript: string;
  apiGroups: string[];
  version: string;
}

type Selection = { compiled: CompiledGroup; entries: FunctionEntry[] }[];

const DEFINITIONS_CACHE_LIMIT = 32;
/** `detail: 'auto'` gives full declarations up to this size (about 8,000 tokens)… */
const AUTO_FULL_MAX_CHARS = 32_000;
/** …and never for more functions than this (no need to render them to know they are too many). */
const AUTO_FULL_MAX_FUNCTIONS = 400;

/**
 * The TypeScript declarations of `api.*` (whole, per group, per function, or compact), each answer
 * computed once per catalog version and filter and returned as the same frozen object until the
 * catalog changes.
 */
export class DefinitionsRenderer {
  private readonly cache = new PerVersion<Map<string, DefinitionsResult>>();

  constructor(private readonly registry: GroupRegistry) {}

  render(options: DefinitionsOptions = {}): DefinitionsResult {
    const version = this.registry.version;
    const cache = this.cache.get(version, () => new Map());
    const filtered = isFilter(options.apiGroups);
    const selected = filtered ? this.registry.select(options.apiGroups!) : this.registry.sortedGroups();
    const functions = isFilter(options.functions) ? [...new Set(options.functions)].sort() : undefined;
    const detail =
      functions || filtered ? checkDetail(options.detail, 'full') : this.resolveDetail(options.detail);
    const groupKey = filtered ? selected.map((compiled) => compiled.group.name).join('\n') : '*';
    const key = `${detail}\u0000${groupKey}\u0000${functions?.join('\n') ?? ''}`;
    const cached = cache.get(key);
    if (cached) return cached;
    let typescript: string;
    let included = selected;
    if (functions) {
      const picked = pickFunctions(selected, functions);
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
      version,
    });
    if (cache.size >= DEFINITIONS_CACHE_LIMIT) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(key, result);
    return result;
  }

  /** `auto` on the whole catalog: compact when the full declarations would not fit a small context. */
  private resolveDetail(detail: unknown): 'full' | 'compact' {
    if (detail !== 'auto') return checkDetail(detail, 'full');
    if (this.registry.functionCount > AUTO_FULL_MAX_FUNCTIONS) return 'compact';
    return this.render({ detail: 'full' }).typescript.length <= AUTO_FULL_MAX_CHARS ? 'full' : 'compact';
  }
}

function checkDetail(detail: unknown, auto: 'full' | 'compact'): 'full' | 'compact' {
  if (detail === undefined || detail === 'auto') return detail === undefined ? 'full' : auto;
  if (detail === 'full' || detail === 'compact') return detail;
  const message = `must be one of full, compact, auto (got ${JSON.stringify(detail)})`;
  throw new ValidationError(`Invalid definitions options: detail: ${message}`, [{ path: 'detail', message }]);
}

/** The functions of `groups` that `patterns` name (paths or namespace prefixes, `.*` allowed). */
function pickFunctions(
  groups: readonly CompiledGroup[],
  patterns: readonly string[],
): { selection: Selection; unmatched: string[] } {
  const prefixes = patterns.map((pattern) => pattern.trim().replace(/\.\*$/, ''));
  const matched = new Set<string>();
  const selection: Selection = [];
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
