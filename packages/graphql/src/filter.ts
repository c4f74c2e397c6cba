import type { RootOperation } from './document.js';
import type { GraphQLFilter } from './options.js';

export interface RootField {
  operation: RootOperation;
  name: string;
}

/** Keeps root fields matching every part of `include` and none of `exclude`'s parts. */
export function filterRootFields<T extends RootField>(
  fields: readonly T[],
  include: GraphQLFilter | undefined,
  exclude: GraphQLFilter | undefined,
): T[] {
  return fields.filter((field) => {
    if (include?.operations && !include.operations.includes(field.operation)) return false;
    if (include?.fields && !include.fields.some((pattern) => matches(pattern, field.name))) return false;
    if (exclude?.operations?.includes(field.operation)) return false;
    if (exclude?.fields?.some((pattern) => matches(pattern, field.name))) return false;
    return true;
  });
}

/** Exact names, or globs where `*` matches any run of characters. */
function matches(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(name);
}
