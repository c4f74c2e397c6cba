import { type FunctionDef, toIdentifier } from '@agent-tool-protocol/protocol';

/** The alias of one function name: its dotted segments, each a safe identifier. */
export interface FunctionAlias {
  fn: FunctionDef;
  segments: string[];
  /** The alias path under the group, e.g. `issues.create` or `read_file`. */
  name: string;
}

/**
 * Aliases every function of a group. Names that need no change keep them; the others take their
 * alias, and when that is already taken its last segment gets `_2`, `_3`, … in declaration order.
 * So `read_file` keeps its name and a sibling `read-file` becomes `read_file_2`, whatever their order.
 */
export function aliasFunctions(functions: readonly FunctionDef[]): FunctionAlias[] {
  const candidates = functions.map((fn) => ({ fn, segments: fn.name.split('.').map(toIdentifier) }));
  const taken = new Set<string>();
  const result: Array<FunctionAlias | undefined> = new Array(functions.length);
  candidates.forEach((candidate, index) => {
    const name = candidate.segments.join('.');
    if (name === candidate.fn.name && !taken.has(name)) {
      taken.add(name);
      result[index] = { fn: candidate.fn, segments: candidate.segments, name };
    }
  });
  candidates.forEach((candidate, index) => {
    if (result[index]) return;
    const segments = [...candidate.segments];
    const last = segments.length - 1;
    const base = segments[last]!;
    for (let suffix = 2; taken.has(segments.join('.')); suffix++) segments[last] = `${base}_${suffix}`;
    const name = segments.join('.');
    taken.add(name);
    result[index] = { fn: candidate.fn, segments, name };
  });
  return result as FunctionAlias[];
}
