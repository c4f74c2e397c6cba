import type { ToolMetadata } from './api.js';
import type { ResponseInfo } from './pagination.js';
import type { ClientServices } from './wire.js';

/** Hard limits of one execution. The server clamps requested values to its maxima. */
export interface ExecutionLimits {
  /** Wall clock in ms; time awaiting host calls counts, time paused for the client does not. */
  timeout: number;
  /** CPU time in ms spent inside the isolate. */
  cpuTime: number;
  /** Isolate heap limit in MB. */
  maxMemory: number;
  maxLLMCalls: number;
  /** Host calls of every kind (`api.*`, `atp.*`). */
  maxToolCalls: number;
  /** Serialized result size in bytes. */
  maxResultBytes: number;
  /** Agent source size in bytes. */
  maxCodeBytes: number;
}

/** One resolved `api.*` function, as the runtime sees it. */
export interface ResolvedFunction {
  /** Dotted path under `api`, e.g. `github.issues.create`. */
  path: string;
  group: string;
  name: string;
  metadata?: ToolMetadata;
  call(input: unknown, context: ToolInvocationContext): Promise<unknown>;
  /**
   * Throws a `ValidationError` (code `VALIDATION_ERROR`) naming every problem when `input` does not
   * match the function's input schema. `call` checks too; a caller may check earlier (before
   * approvals and policies run). Absent when the dispatcher does not validate.
   */
  validateInput?(input: unknown): void;
}

export interface ToolInvocationContext {
  clientId: string;
  executionId: string;
  signal?: AbortSignal;
  /** Passed on to the handler (`FunctionCallContext.onResponse`). */
  onResponse?: (response: ResponseInfo) => void;
}

/** Maps `api.*` paths to functions in O(1); implemented by the catalog. */
export interface APIDispatcher {
  resolve(path: string): ResolvedFunction | undefined;
  /** Close matches for an unknown path, best first. */
  suggest(path: string, limit?: number): string[];
}

/** What the security layer sees before and after each tool call. */
export interface ToolCallContext {
  executionId: string;
  clientId: string;
  /** `api.<path>` for API functions, `client.<toolName>` for client tools. */
  path: string;
  group: string;
  name: string;
  input: unknown;
  metadata: ToolMetadata;
  services: ClientServices;
  /** Opaque provenance labels attached to the input's values by a provenance mode. */
  provenance?: unknown;
}

export type ToolCallDecision =
  | { action: 'allow' }
  | { action: 'block'; reason: string; policy?: string }
  | { action: 'approve'; message: string; context?: unknown; policy?: string };

export interface CodeTransformContext {
  executionId: string;
  clientId: string;
}

/** The seam the security layer plugs into. The runtime holds no policy logic itself. */
export interface ExecutionHooks {
  beforeToolCall?(context: ToolCallContext): ToolCallDecision | Promise<ToolCallDecision>;
  afterToolCall?(context: ToolCallContext, result: unknown): void | Promise<void>;
  transformCode?(code: string, context: CodeTransformContext): string | Promise<string>;
}

export interface ProgressEvent {
  executionId: string;
  message: string;
  /** 0..1 when known. */
  fraction?: number;
  data?: unknown;
  timestamp: number;
}
