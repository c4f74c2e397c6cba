import { toIdentifier } from '@agent-tool-protocol/protocol';
import type { OperationModel } from './model.js';

const RESERVED_WORDS = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval constructor ' +
    'prototype __proto__ toString valueOf hasOwnProperty then'
  ).split(' '),
);

/** Words of an identifier-ish string: `get-content` → [get, content]; `HTMLParser` → [HTML, Parser]. */
function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

/** `repos/get-content` → `reposGetContent`; `GetAccount` → `getAccount`. Empty when no letters or digits. */
export function camelCase(text: string): string {
  return words(text)
    .map((word, index) =>
      index === 0 ? word.toLowerCase() : word[0]!.toUpperCase() + word.slice(1).toLowerCase(),
    )
    .join('');
}

/**
 * A valid, non-reserved JavaScript identifier: protocol's `toIdentifier` (digits first get `_`, names
 * that break the `api` proxy get a trailing `_`), and reserved words also get a trailing `_`.
 */
export function safeIdentifier(name: string): string {
  const identifier = toIdentifier(name);
  return RESERVED_WORDS.has(identifier) ? `${identifier}_` : identifier;
}

export function namespaceOf(operation: OperationModel, byTag: boolean): string | undefined {
  if (!byTag) return undefined;
  const tag = operation.tags[0];
  if (tag === undefined) return undefined;
  const name = camelCase(tag);
  return name === '' ? undefined : safeIdentifier(name);
}

/** `get /pets/{petId}/photos` → `getPetsByPetIdPhotos`. */
export function nameFromMethodAndPath(method: string, path: string): string {
  const parts = path
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      const parameter = /^\{(.+)\}$/.exec(segment);
      return parameter ? `by ${parameter[1]}` : segment;
    });
  return camelCase([method.toLowerCase(), ...parts].join(' '));
}

/** The function name before collision handling: `[namespace, leaf]`. */
export function baseName(operation: OperationModel, byTag: boolean): { namespace?: string; leaf: string } {
  const namespace = namespaceOf(operation, byTag);
  let leaf = '';
  if (operation.operationId !== undefined) {
    const segments = operation.operationId.split(/[/.:]/).filter(Boolean);
    // `issues/create` under the `issues` tag is `issues.create`, not `issues.issuesCreate`.
    if (namespace !== undefined && segments.length > 1 && camelCase(segments[0]!) === namespace)
      segments.shift();
    leaf = camelCase(segments.join(' '));
  }
  if (leaf === '') leaf = nameFromMethodAndPath(operation.method, operation.path);
  return { namespace, leaf: safeIdentifier(leaf) };
}

/**
 * Assigns every operation a unique dotted name, in document order: the first operation keeps its name, later
 * ones with the same name get `2`, `3`, …; a top-level function never takes a namespace's name.
 */
export function assignNames(operations: OperationModel[], byTag: boolean): string[] {
  const bases = operations.map((operation) => baseName(operation, byTag));
  const namespaces = new Set(bases.map((b) => b.namespace).filter((n): n is string => n !== undefined));
  const taken = new Set<string>();
  return bases.map(({ namespace, leaf }) => {
    const prefix = namespace === undefined ? '' : `${namespace}.`;
    const clashes = (candidate: string) =>
      taken.has(prefix + candidate) || (namespace === undefined && namespaces.has(candidate));
    let candidate = leaf;
    for (let n = 2; clashes(candidate); n++) candidate = `${leaf}${n}`;
    taken.add(prefix + candidate);
    return prefix + candidate;
  });
}
