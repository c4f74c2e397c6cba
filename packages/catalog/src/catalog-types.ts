import { type APIGroup, type FunctionDef, type Logger, silentLogger } from '@agent-tool-protocol/protocol';

/** @deprecated Use `Logger` from `@agent-tool-protocol/protocol` (the same shape). */
export type CatalogLogger = Logger;

export const SILENT_LOGGER: Logger = silentLogger;

export interface CatalogGroupSummary {
  name: string;
  type: APIGroup['type'];
  description?: string;
  functionCount: number;
}

export interface CatalogFunction {
  group: APIGroup;
  fn: FunctionDef;
  /** Full alias path under `api` (`github.issues.create`). */
  path: string;
  /** One-line TypeScript signature. */
  signature: string;
}

/** An absent or empty `apiGroups` list means every group. */
export function isFilter(apiGroups: readonly string[] | undefined): apiGroups is readonly string[] {
  return apiGroups !== undefined && apiGroups.length > 0;
}
