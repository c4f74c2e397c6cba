/**
 * Globs over dotted tool names (`group.function`): `*` matches within one segment, `**` across
 * segments, everything else literally. `github.*` matches `github.search` but not `github.issues.create`;
 * `github.**` matches both.
 */
export function compileGlob(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*') {
      if (pattern[i + 1] === '*') {
        source += '.*';
        i++;
      } else source += '[^.]*';
    } else source += char.replace(/[\\^$+?.()|[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export class GlobList {
  private readonly patterns: RegExp[];

  constructor(readonly globs: readonly string[]) {
    this.patterns = globs.map(compileGlob);
  }

  matches(name: string): boolean {
    return this.patterns.some((pattern) => pattern.test(name));
  }

  get isEmpty(): boolean {
    return this.patterns.length === 0;
  }
}

/** `api.github.search` → `github.search`; client tools keep their `client.` prefix. */
export function toolName(path: string): string {
  return path.startsWith('api.') ? path.slice(4) : path;
}
