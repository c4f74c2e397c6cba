import type { CompiledGroup } from './compiled-group.js';
import { groupMemberDeclaration, groupTypeDeclarations } from './group-declarations.js';

/** The `api.*` declarations for `groups` (already in output order): named types, then `declare const api`. */
export function assembleApiDefinitions(groups: readonly CompiledGroup[]): string {
  const types = groups.map(groupTypeDeclarations).filter((text) => text !== '');
  const members = groups.map(groupMemberDeclaration);
  const api =
    members.length === 0 ? 'declare const api: {};' : `declare const api: {\n${members.join('\n')}\n};`;
  return `${[...types, api].join('\n\n')}\n`;
}
