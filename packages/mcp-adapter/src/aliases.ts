import { toIdentifier } from '@agent-tool-protocol/protocol';

/**
 * Assigns every tool name a unique identifier. Names that already are what `toIdentifier` makes
 * of them keep them; the others get `toIdentifier(name)` (`read-file` → `read_file`, `2fa` → `_2fa`,
 * `then` → `then_`), and `_2`, `_3`, … when that is taken. The result depends only on the list
 * (same list → same aliases), so a refresh keeps names stable.
 */
export function assignAliases(names: readonly string[]): Map<string, string> {
  const aliases = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of names) {
    if (toIdentifier(name) === name && !taken.has(name)) {
      aliases.set(name, name);
      taken.add(name);
    }
  }
  for (const name of names) {
    if (aliases.has(name)) continue;
    const base = toIdentifier(name);
    let alias = base;
    for (let suffix = 2; taken.has(alias); suffix++) alias = `${base}_${suffix}`;
    aliases.set(name, alias);
    taken.add(alias);
  }
  return aliases;
}
