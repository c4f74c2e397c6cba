import {
  ConfigError,
  type JSONSchema,
  type Pagination,
  PaginationSchema,
  toFieldIssues,
} from '@agent-tool-protocol/protocol';
import type { InputShape } from '../inputs.js';
import type { OperationModel } from '../model.js';
import { type Detection, detectPagination } from './detect.js';
import type { SchemaView } from './schema-view.js';

/**
 * An operation's `metadata.pagination`: `x-atp-pagination` in the spec wins (an object declares the style,
 * `false` turns paging off), else the detected style when detection is on.
 */
export function operationPagination(
  operation: OperationModel,
  input: InputShape,
  output: JSONSchema,
  view: SchemaView,
  detect: boolean,
): Detection {
  const declared = operation.extensions['x-atp-pagination'];
  if (declared === false) return undefined;
  if (declared !== undefined) return { pagination: checkDeclared(operation, declared) };
  return detect ? detectPagination(operation, input, output, view) : undefined;
}

function checkDeclared(operation: OperationModel, declared: unknown): Pagination {
  const parsed = PaginationSchema.safeParse(declared);
  if (parsed.success) return parsed.data;
  const prefix = `paths.${operation.path}.${operation.method.toLowerCase()}.x-atp-pagination`;
  const issues = toFieldIssues(parsed.error, prefix);
  throw new ConfigError(
    `x-atp-pagination of ${operation.where} is not a valid pagination: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
    issues,
  );
}
