import type { APIGroup, FunctionDef } from '@agent-tool-protocol/protocol';

/** A pino-compatible logger (pino itself fits). */
export interface CatalogLogger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export const SILENT_LOGGER: CatalogLogger = { debug() {}, info() {}, warn() {}, error() {} };

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
