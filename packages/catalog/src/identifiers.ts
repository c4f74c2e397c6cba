// Naming rules shared by aliasing, type generation and quoting. See docs/catalog.md "Name aliasing".

import { isIdentifierName } from '@agent-tool-protocol/protocol';
import { ES_GLOBAL_TYPE_NAMES } from './global-type-names.js';

/** A property key as written in a declaration: bare when it is an identifier name, else quoted. */
export function propertyKey(name: string): string {
  return isIdentifierName(name) ? name : JSON.stringify(name);
}

/** Words of a name: `getUserByID` → get, User, By, ID; `read-file_v2` → read, file, v2. */
export function nameWords(name: string): string[] {
  return name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+[0-9]*|[0-9]+[a-z]*/g) ?? [];
}

/** `issues.create` → `IssuesCreate`; `list-repos_v2` → `ListReposV2`; `_2fa` → `2fa` (a suffix, not a name). */
export function pascalCase(name: string): string {
  return nameWords(name)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/** The type-name prefix of a group: its PascalCase alias, `Api…` when that is empty or starts with a digit. */
export function typePrefix(groupAlias: string): string {
  const base = pascalCase(groupAlias);
  return base === '' || /^[0-9]/.test(base) ? `Api${base}` : base;
}

/** Global type names a generated type must never take (every ES library type: `TypeError`, `WeakMap`, …). */
export const RESERVED_TYPE_NAMES: ReadonlySet<string> = new Set(ES_GLOBAL_TYPE_NAMES);

/** Hands out unique names: a taken name gets `_2`, `_3`, … in the order names are requested. */
export class NameAllocator {
  private readonly taken: Set<string>;

  constructor(reserved: Iterable<string> = []) {
    this.taken = new Set(reserved);
  }

  allocate(preferred: string): string {
    let name = preferred;
    for (let suffix = 2; this.taken.has(name); suffix++) name = `${preferred}_${suffix}`;
    this.taken.add(name);
    return name;
  }

  has(name: string): boolean {
    return this.taken.has(name);
  }
}
