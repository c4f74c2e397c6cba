import type { CompiledGroup, FunctionEntry } from './compiled-group.js';
import { propertyKey } from './identifiers.js';

// The compact first view of `api.*`: every group and namespace with a one-line description, no
// signatures. Valid TypeScript: namespaces are typed as callable trees (`AtpApiNode`), so code
// written against the full declarations still type-checks. Signatures come on demand.

/** Top-level functions of a group listed by name up to this many; beyond, one index signature. */
const MAX_LISTED_FUNCTIONS = 20;
/** Function names shown in a namespace's line when it has no description. */
const EXAMPLE_NAMES = 4;
const DESCRIPTION_LIMIT = 90;

/** The first sentence of `text`, on one line, without comment terminators. */
function oneLine(text: string | undefined): string {
  const first = (text ?? '').trim().split(/\r?\n/)[0]?.trim() ?? '';
  const sentence = /^(.+?[.!?])(\s|$)/.exec(first)?.[1] ?? first;
  const clipped =
    sentence.length > DESCRIPTION_LIMIT ? `${sentence.slice(0, DESCRIPTION_LIMIT - 1)}…` : sentence;
  return clipped.replace(/\*\//g, '*\\/').replace(/[\u2028\u2029]/g, ' ');
}

/** `group.metadata.namespaces`: `{ issues: 'Interact with GitHub Issues.' }` (keys as registered or aliased). */
function namespaceDescriptions(compiled: CompiledGroup): Record<string, unknown> {
  const namespaces = compiled.group.metadata?.namespaces;
  return typeof namespaces === 'object' && namespaces !== null ? (namespaces as Record<string, unknown>) : {};
}

function count(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

function groupLines(compiled: CompiledGroup): string[] {
  const namespaces = new Map<string, FunctionEntry[]>();
  const topLevel: FunctionEntry[] = [];
  for (const entry of compiled.entries) {
    if (entry.segments.length === 1) topLevel.push(entry);
    else {
      const list = namespaces.get(entry.segments[0]!) ?? [];
      list.push(entry);
      namespaces.set(entry.segments[0]!, list);
    }
  }
  const described = namespaceDescriptions(compiled);
  const lines: string[] = [];
  const header = oneLine(compiled.group.description);
  lines.push(
    `  ${propertyKey(compiled.alias)}: { // ${header ? `${header} ` : ''}(${count(compiled.entries.length, 'function')})`,
  );
  for (const [name, entries] of namespaces) {
    const registered = entries[0]!.fn.name.split('.')[0] ?? name;
    const description = described[name] ?? described[registered];
    const text =
      typeof description === 'string' && description.trim() !== ''
        ? oneLine(description)
        : `${count(entries.length, 'function')}: ${entries
            .slice(0, EXAMPLE_NAMES)
            .map((entry) => entry.segments.slice(1).join('.'))
            .join(', ')}${entries.length > EXAMPLE_NAMES ? ', …' : ''}`;
    lines.push(`    ${propertyKey(name)}: AtpApiNode; // ${text}`);
  }
  if (topLevel.length > MAX_LISTED_FUNCTIONS) {
    lines.push(
      `    [name: string]: AtpApiNode; // ${count(topLevel.length, 'more function')}: find them with search or explore`,
    );
  } else {
    for (const entry of topLevel) {
      // A function that is also a namespace (`issues` and `issues.create`) is that namespace's node.
      if (namespaces.has(entry.name)) continue;
      const description = oneLine(entry.fn.description);
      lines.push(`    ${propertyKey(entry.name)}: AtpApiNode;${description ? ` // ${description}` : ''}`);
    }
  }
  lines.push('  };');
  return lines;
}

/** The compact declarations of `groups` (already in output order). */
export function compactApiDefinitions(groups: readonly CompiledGroup[]): string {
  const functions = groups.reduce((sum, compiled) => sum + compiled.entries.length, 0);
  const members = groups.flatMap(groupLines);
  return [
    `// api.* index (${count(functions, 'function')}), namespaces only. Get signatures with search, explore`,
    '// ("/<type>/<group>/<namespace>") or GET /api/definitions?functions=<group>.<namespace>[.<function>],…',
    'interface AtpApiNode {',
    '  (input?: Record<string, unknown>): Promise<unknown>;',
    '  [name: string]: AtpApiNode;',
    '}',
    members.length === 0 ? 'declare const api: {};' : `declare const api: {\n${members.join('\n')}\n};`,
    '',
  ].join('\n');
}
