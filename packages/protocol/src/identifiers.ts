// The one rule for turning an API name into the alias agents write after a dot (`api.<alias>`).
// Shared by the catalog (groups, dotted function names), the OpenAPI loader and the MCP adapter.

const IDENTIFIER_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const INVALID_RUN = /[^A-Za-z0-9_$]+/g;

/** Names that would break or shadow the lazy `api` proxy if used as a property. */
const UNSAFE_PROPERTY_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype', 'then']);

/** True when `name` can be written after a dot (`api.x.<name>`): reserved words included. */
export function isIdentifierName(name: string): boolean {
  return IDENTIFIER_NAME.test(name);
}

/**
 * The alias agents write for one segment of an API name. Deterministic and idempotent on its own
 * output:
 * 1. every run of characters outside `[A-Za-z0-9_$]` becomes one `_` (`read-file` → `read_file`);
 * 2. a leading digit gets a `_` prefix (`2fa` → `_2fa`); an empty result is `_`;
 * 3. `__proto__`, `constructor`, `prototype` and `then` get a trailing `_` (they would break the
 *    proxy behind `api.*` or make a namespace look like a promise).
 * Reserved words (`delete`, `class`) stay: `api.files.delete()` is valid JavaScript.
 */
export function toIdentifier(name: string): string {
  let alias = name.replace(INVALID_RUN, '_');
  if (alias === '') alias = '_';
  if (/^[0-9]/.test(alias)) alias = `_${alias}`;
  if (UNSAFE_PROPERTY_NAMES.has(alias)) alias = `${alias}_`;
  return alias;
}
