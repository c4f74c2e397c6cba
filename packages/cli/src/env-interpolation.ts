import type { FieldIssue } from '@agent-tool-protocol/protocol';
import { formatFieldPath } from './field-path.js';

// `$${…}` is a literal `${…}`; `${NAME}` and `${NAME:-default}` read the environment.
const REFERENCE = /\$(\$)?\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Replaces `${VAR}` / `${VAR:-default}` in every string of a parsed config. Returns the new value and one
 * issue per unset variable without a default, at the path of the string that names it.
 */
export function interpolateEnv(value: unknown, env: Environment): { value: unknown; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const visit = (node: unknown, path: PropertyKey[]): unknown => {
    if (typeof node === 'string') return interpolateString(node, env, path, issues);
    if (Array.isArray(node)) return node.map((item, index) => visit(item, [...path, index]));
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(
        Object.entries(node).map(([key, item]) => [key, visit(item, [...path, key])]),
      );
    }
    return node;
  };
  return { value: visit(value, []), issues };
}

function interpolateString(
  text: string,
  env: Environment,
  path: PropertyKey[],
  issues: FieldIssue[],
): string {
  return text.replace(REFERENCE, (whole, escaped: string | undefined, name: string, fallback?: string) => {
    if (escaped) return whole.slice(1);
    const found = env[name];
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) return fallback;
    issues.push({
      path: formatFieldPath(path),
      message: `environment variable ${name} is not set (set it, or write \${${name}:-default} for a default)`,
    });
    return '';
  });
}
