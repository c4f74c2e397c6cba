import type { FieldIssue } from '@agent-tool-protocol/protocol';

/** `['openapi', 1, 'auth', 'token']` → `openapi[1].auth.token`. */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

/** One line per issue: `openapi[1].auth.token: must not be empty`. */
export function describeFieldIssues(issues: FieldIssue[]): string {
  return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('\n  ');
}
