import type { z } from 'zod';
import { type FieldIssue, ValidationError } from './errors.js';

/** Turns zod issues into `{path, message}` pairs whose path names the field (`config.timeout`). */
export function toFieldIssues(error: z.ZodError, prefix?: string): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== undefined && part !== '');
    return { path: path.join('.'), message: issue.message };
  });
}

/** One sentence naming every bad field, e.g. `Invalid request body: code: expected string`. */
export function describeIssues(what: string, issues: FieldIssue[]): string {
  const parts = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message));
  return `Invalid ${what}: ${parts.join('; ')}`;
}

/**
 * Parses `value` with `schema` or throws a ValidationError whose message names each bad field.
 * `what` describes the value for the message ("request body", "server config", …).
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  prefix?: string,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = toFieldIssues(parsed.error, prefix);
  throw new ValidationError(describeIssues(what, issues), issues);
}
