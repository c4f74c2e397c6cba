import type { CompiledGroup, FunctionEntry } from './compiled-group.js';
import {
  groupMemberDeclaration,
  groupTypeDeclarations,
  selectedGroupDeclarations,
} from './group-declarations.js';

/** The `api.*` declarations for `groups` (already in output order): named types, then `declare const api`. */
export function assembleApiDefinitions(groups: readonly CompiledGroup[]): string {
  const types = groups.map(groupTypeDeclarations).filter((text) => text !== '');
  const members = groups.map(groupMemberDeclaration);
  const api =
    members.length === 0 ? 'declare const api: {};' : `declare const api: {\n${members.join('\n')}\n};`;
  return `${[...types, api].join('\n\n')}\n`;
}

/** Declarations of only the `selected` functions of each group (in group output order). */
export function assembleSelectedDefinitions(
  selected: readonly { compiled: CompiledGroup; entries: readonly FunctionEntry[] }[],
): string {
  const parts = selected.map(({ compiled, entries }) => selectedGroupDeclarations(compiled, entries));
  const types = parts.map((part) => part.types).filter((text) => text !== '');
  const members = parts.map((part) => part.member);
  const api =
    members.length === 0 ? 'declare const api: {};' : `declare const api: {\n${members.join('\n')}\n};`;
  return `${[...types, api].join('\n\n')}\n`;
}
