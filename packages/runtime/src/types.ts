import type {
  ApiDispatcher,
  CacheProvider,
  CallbackResult,
  ClientServices,
  ExecutionHooks,
  ExecutionLimits,
  ExecutionResult,
  ExecutionStatus,
  LogEntry,
  Logger,
  ProgressEvent,
  ToolMetadata,
} from '@agent-tool-protocol/protocol';

/** @deprecated Use `Logger` from `@agent-tool-protocol/protocol` (the same shape). */
export type RuntimeLogger = Logger;

/** A tool the client runs itself: callable as `api.<namespace ?? 'client'>.<name>(input)`, it pauses. */
export interface ClientToolRef {
  name: string;
  namespace?: string;
  metadata?: ToolMetadata;
  /** The tool's input schema, for `ExecutorConfig.validateClientToolInput`. */
  inputSchema?: Record<string, unknown>;
}

interface EventBase {
  executionId: string;
  clientId: string;
}

/** Lifecycle events for audit and metrics; the server forwards them. */
export type ExecutionEvent =
  | (EventBase & { type: 'execution_start' })
  | (EventBase & { type: 'execution_pause'; callbacks: number })
  | (EventBase & { type: 'execution_resume'; mode: 'hot' | 'durable' })
  | (EventBase & { type: 'execution_end'; status: ExecutionStatus; durationMs: number })
  | (EventBase & {
      type: 'tool_call';
      path: string;
      status: 'ok' | 'error' | 'blocked';
      durationMs: number;
      replayed: boolean;
    })
  | (EventBase & { type: 'llm_call'; operation: string; callbackId: string })
  | (EventBase & {
      type: 'approval_requested';
      callbackId?: string;
      message: string;
      path?: string;
      policy?: string;
      via: 'client' | 'server';
    })
  | (EventBase & {
      type: 'approval_decided';
      approved: boolean;
      reason?: string;
      path?: string;
      via: 'client' | 'server';
    })
  | (EventBase & { type: 'policy_violation'; path: string; reason: string; policy?: string });

export type ApprovalHandler = (request: {
  message: string;
  context?: unknown;
  executionId: string;
  clientId: string;
}) => Promise<{ approved: boolean; reason?: string }>;

export interface ExecutorConfig {
  /** Resolves `api.*` paths (the catalog implements it). */
  dispatcher: ApiDispatcher;
  /** Journals, paused state and `atp.cache`; default a new MemoryCache. */
  cache?: CacheProvider;
  /** The security seam (beforeToolCall / afterToolCall / transformCode). */
  hooks?: ExecutionHooks;
  /** Server maxima: requested limits are clamped to these. */
  maxLimits?: Partial<ExecutionLimits>;
  /** Used when a request omits a limit. */
  defaultLimits?: Partial<ExecutionLimits>;
  /** Fresh, never-used, pre-warmed isolates kept ready (default 2). */
  isolatePoolSize?: number;
  /** Hot paused isolates kept alive (default 100); beyond it the oldest is evicted to the durable path. */
  maxHotPaused?: number;
  /**
   * Total heap of hot paused isolates, in MB (default 1024); beyond it the oldest are evicted to the
   * durable path (the newest always stays hot).
   */
  maxHotPausedMemoryMB?: number;
  /** How long paused state and the journal live in the cache (default 3600). */
  pausedStateTTLSeconds?: number;
  /** Server-side approver used when the client has none. */
  onApproval?: ApprovalHandler;
  /**
   * Checks the input of a client tool call before it pauses for the client: an error thrown here
   * (e.g. a ValidationError) rejects the call in the sandbox with its message and code.
   */
  validateClientToolInput?: (tool: ClientToolRef, input: unknown) => void;
  /** Default silent. */
  logger?: RuntimeLogger;
  onEvent?: (event: ExecutionEvent) => void;
  onLog?: (entry: LogEntry & { executionId: string; clientId: string }) => void;
  onProgress?: (event: ProgressEvent & { clientId: string }) => void;
}

export interface ExecuteOptions {
  clientId: string;
  /** Default: a random id (crypto.randomUUID). */
  executionId?: string;
  /** Which client callbacks are available (hasLLM, hasApproval, …). */
  services?: Partial<ClientServices>;
  clientTools?: ClientToolRef[];
  /** Requested limits; clamped to the executor's maxLimits. */
  limits?: Partial<ExecutionLimits>;
  /** Per-execution listener (for streaming), in addition to the config one. */
  onLog?(entry: LogEntry): void;
  onProgress?(event: ProgressEvent): void;
}

export interface ResumeOptions {
  clientId: string;
  onLog?(entry: LogEntry): void;
  onProgress?(event: ProgressEvent): void;
}

export interface ExecutorStats {
  activeExecutions: number;
  hotPaused: number;
  pooledIsolates: number;
}

export interface Executor {
  execute(code: string, options: ExecuteOptions): Promise<ExecutionResult>;
  /**
   * Answers pending callbacks by id. A single result whose id is `''` answers the only pending
   * callback (the wire form `{result}`); with several pending it is a ValidationError.
   */
  resume(executionId: string, results: CallbackResult[], options: ResumeOptions): Promise<ExecutionResult>;
  cancel(executionId: string, options: { clientId: string }): Promise<boolean>;
  /** The callbacks a paused execution waits for; undefined when unknown, not paused or another client's. */
  getPendingCallbacks(
    executionId: string,
    clientId: string,
  ): Promise<ExecutionResult['needsCallbacks'] | undefined>;
  stats(): ExecutorStats;
  /** Cancels running executions and frees isolates; paused state stays in the cache. */
  dispose(): Promise<void>;
}
