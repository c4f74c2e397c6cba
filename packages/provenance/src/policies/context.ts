import type { ProvenanceMode, ToolCallContext } from '@agent-tool-protocol/protocol';
import { toolName } from '../glob.js';
import { type LabelledLeaf, type Readers, type ReadersMap, type Source, USER } from '../labels.js';
import type { PolicyContext } from './types.js';

function under(leaf: LabelledLeaf, prefix: string[]): boolean {
  if (prefix.length > leaf.path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (String(leaf.path[i]) !== prefix[i]) return false;
  return true;
}

function split(param: string | undefined): string[] {
  return param === undefined || param === '' ? [] : param.split('.');
}

function valueAt(input: unknown, path: string[]): unknown {
  let node = input;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (value !== null && typeof value === 'object')
    for (const item of Object.values(value)) strings(item, out);
  return out;
}

/** Primitive leaves (and object keys) under a path: does any of them carry no label? */
function hasUnlabelledLeaf(value: unknown, path: (string | number)[], labelled: Set<string>): boolean {
  if (value === null || typeof value !== 'object') {
    return value !== undefined && value !== null && !labelled.has(JSON.stringify(path));
  }
  const entries = Array.isArray(value)
    ? value.map((item, index) => [index, item] as const)
    : Object.entries(value);
  for (const [key, item] of entries) {
    if (hasUnlabelledLeaf(item, [...path, key], labelled)) return true;
  }
  return false;
}

export function createPolicyContext(
  call: ToolCallContext,
  mode: ProvenanceMode,
  leaves: LabelledLeaf[] | undefined,
  readers: ReadersMap,
): PolicyContext {
  const all = leaves ?? [];
  const input = call.input;
  // Sandbox-provided labels are only trustworthy in `ast` mode (the tracker is installed before any
  // agent code runs); in the other modes policies never see them.
  const { provenance: _untrusted, ...withoutLabels } = call;
  return {
    call: mode === 'ast' ? call : withoutLabels,
    tool: toolName(call.path),
    mode,
    tracked: leaves !== undefined,
    params: input !== null && typeof input === 'object' && !Array.isArray(input) ? Object.keys(input) : [],
    leaves(param) {
      const prefix = split(param);
      return all.filter((leaf) => under(leaf, prefix));
    },
    sourcesOf(param) {
      const prefix = split(param);
      const found = all.filter((leaf) => under(leaf, prefix));
      const sources = new Set<Source>(found.flatMap((leaf) => leaf.sources));
      const labelled = new Set(found.filter((leaf) => !leaf.isKey).map((leaf) => JSON.stringify(leaf.path)));
      if (hasUnlabelledLeaf(valueAt(input, prefix), prefix, labelled)) sources.add(USER);
      return sources;
    },
    readersOf(param): Readers {
      const prefix = split(param);
      return readers.readersOfAll(all.filter((leaf) => under(leaf, prefix)).flatMap((leaf) => leaf.sources));
    },
    readersFor(sources) {
      return readers.readersOfAll(sources);
    },
    valuesOf(param) {
      return strings(valueAt(input, split(param)));
    },
  };
}
