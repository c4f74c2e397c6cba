import {
  type APIGroup,
  APIGroupSchema,
  describeIssues,
  type FieldIssue,
  ValidationError,
} from '@agent-tool-protocol/protocol';
import { checkJsonSchema } from './schema-check.js';

const MAX_ISSUES = 50;

function functionLabel(group: Record<string, unknown>, index: number): string {
  const functions = Array.isArray(group.functions) ? group.functions : [];
  const name = (functions[index] as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name !== ''
    ? `functions[${JSON.stringify(name)}]`
    : `functions[${index}]`;
}

/** `functions.3.handler` → `functions["issues.create"].handler`, so the message names the function. */
function nameFunctions(group: Record<string, unknown>, issues: FieldIssue[]): FieldIssue[] {
  return issues.map((issue) => {
    const match = /^functions\.(\d+)(\..*)?$/.exec(issue.path);
    if (!match) return issue;
    return { ...issue, path: `${functionLabel(group, Number(match[1]))}${match[2] ?? ''}` };
  });
}

function fail(what: string, issues: FieldIssue[]): never {
  const shown = issues.slice(0, MAX_ISSUES);
  throw new ValidationError(describeIssues(what, shown), shown);
}

/**
 * Checks a group before it is registered: its shape (APIGroupSchema), unique function names,
 * dotted names without empty segments, and structurally valid JSON Schemas. The error message
 * names the group, the function and the field.
 */
export function validateGroup(input: unknown): APIGroup {
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const what = typeof raw.name === 'string' && raw.name !== '' ? `API group "${raw.name}"` : 'API group';
  const parsed = APIGroupSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }));
    fail(what, nameFunctions(raw, issues));
  }

  const group = input as APIGroup;
  const issues: FieldIssue[] = [];
  const firstIndex = new Map<string, number>();
  group.functions.forEach((fn, index) => {
    const label = functionLabel(raw, index);
    const previous = firstIndex.get(fn.name);
    if (previous !== undefined) {
      issues.push({
        path: `${label}.name`,
        message: `duplicate function name "${fn.name}" (also at functions[${previous}])`,
      });
    } else {
      firstIndex.set(fn.name, index);
    }
    if (fn.name.split('.').some((segment) => segment === '')) {
      issues.push({ path: `${label}.name`, message: 'must not start or end with a dot or contain ".."' });
    }
    if (fn.inputSchema !== undefined) checkJsonSchema(fn.inputSchema, `${label}.inputSchema`, issues);
    if (fn.outputSchema !== undefined) checkJsonSchema(fn.outputSchema, `${label}.outputSchema`, issues);
  });
  for (const [name, schema] of Object.entries(group.definitions ?? {})) {
    checkJsonSchema(schema, `definitions.${name}`, issues);
  }
  if (issues.length > 0) fail(what, issues);
  return group;
}
