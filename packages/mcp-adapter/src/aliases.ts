const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Turns an MCP tool name into a JavaScript identifier: every character outside `[A-Za-z0-9_$]`
 * becomes `_`, and a leading digit gets a `_` prefix (`read-file` → `read_file`,
 * `fs/read.v2` → `fs_read_v2`, `2fa` → `_2fa`).
 */
export function toIdentifier(name: string): string {
  const replaced = name.replace(/[^A-Za-z0-9_$]/g, '_');
  if (replaced === '') return '_';
  return /^[0-9]/.test(replaced) ? `_${replaced}` : replaced;
}

/**
 * Assigns every tool name a unique identifier. Names that already are identifiers keep them;
 * the others get `toIdentifier(name)`, and `_2`, `_3`, … when that is taken. The result
 * depends only on the list (same list → same aliases), so a refresh keeps names stable.
 */
export function assignAliases(names: readonly string[]): Map<string, string> {
  const aliases = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of names) {
    if (IDENTIFIER.test(name) && !taken.has(name)) {
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
