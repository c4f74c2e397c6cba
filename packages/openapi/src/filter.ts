import type { OperationModel } from './model.js';
import type { OpenAPIFilter } from './options.js';

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*');
  return new RegExp(`^${escaped}$`);
}

type Matcher = (operation: OperationModel) => boolean;

/** One matcher per filter field given; a field matches when any of its values does. */
function fieldMatchers(filter: OpenAPIFilter): Matcher[] {
  const matchers: Matcher[] = [];
  if (filter.tags) {
    const tags = new Set(filter.tags.map((t) => t.toLowerCase()));
    matchers.push((op) => op.tags.some((t) => tags.has(t.toLowerCase())));
  }
  if (filter.paths) {
    const patterns = filter.paths.map((p) => (typeof p === 'string' ? globToRegExp(p) : p));
    matchers.push((op) => patterns.some((pattern) => pattern.test(op.path)));
  }
  if (filter.methods) {
    const methods = new Set(filter.methods.map((m) => m.toUpperCase()));
    matchers.push((op) => methods.has(op.method));
  }
  if (filter.operationIds) {
    const ids = new Set(filter.operationIds);
    matchers.push((op) => op.operationId !== undefined && ids.has(op.operationId));
  }
  return matchers;
}

/** Keeps operations that match every `include` field and no `exclude` field. */
export function filterOperations(
  operations: OperationModel[],
  include: OpenAPIFilter | undefined,
  exclude: OpenAPIFilter | undefined,
): OperationModel[] {
  const includeMatchers = include ? fieldMatchers(include) : [];
  const excludeMatchers = exclude ? fieldMatchers(exclude) : [];
  return operations.filter(
    (op) => includeMatchers.every((match) => match(op)) && !excludeMatchers.some((match) => match(op)),
  );
}
