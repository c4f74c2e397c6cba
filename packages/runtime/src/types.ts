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

/**
 * Where `atp.cache.*` reads and writes, per client. A host passes one to keep agent data apart from
 * execution state and to enforce its quotas: an error it throws (e.g. a QuotaExceededError) rejects
 * the agent's call with that error's message, code and details.
 */
export interface UserCacheStore {
  get(clientId: string, key: string): Promise<unknown>;
  /** `ttlSeconds` is what the agent asked for, if anything; the store applies its own default and maximum. */
  set(clientId: string, key: string, value: unknown, ttlSeconds: number | undefined): Promise<void>;
  delete(clientId: string, key: string): Promise<boolean>;
}

/** Per-execution bounds on what agent code sends out besides its result (defaults in brackets). */
export interface ExecutorQuotas {
  /** `atp.log` / `console.*` entries kept per execution, over all its legs [1,000]. */
  maxLogEntries?: number;
  /** Bytes of log messages and data (JSON) kept per execution [1 MiB]. */
  maxLogBytes?: number;
  /** Bytes of one client callback's payload (an LLM prompt, a client tool's input…) as JSON [1 MiB]. */
  maxCallbackPayloadBytes?: number;
}

export interface ExecutorConfig {
  /** Resolves `api.*` paths (the catalog implements it). */
  dispatcher: ApiDispatcher;
  /** Journals, paused state and (without `userCache`) `atp.cache`; default a new MemoryCache. */
  cache?: CacheProvider;
  /** Where `atp.cache.*` lives; default: `cache`, under `atp:cache:<clientId>:<key>`, without quotas. */
  userCache?: UserCacheStore;
  /** Bounds on logs and callback payloads; a log beyond them is dropped, a callback rejected. */
  quotas?: ExecutorQuotas;
  /** The security seam (beforeToolCall / afterToolCall / transformCode). */
  hooks?: ExecutionHooks;
  /** Server maxima: requested limits are clamped to these. */
  maxLimits?: Partial<ExecutionLimits>;
  /** Used when a request omits a limit. */
  defaultLimits?: Partial<ExecutionLimits>;
  /** Sandboxes (a fresh context with the bootstrap installed) kept ready (default 2). */
  isolatePoolSize?: number;
  /**
   * Executions an isolate serves, one at a time and each in a fresh context, before it is retired
   * (default 100; 1: a new isolate for every execution). An isolate is retired at once after an
   * execution that did not end cleanly (a limit, a cancel, a host failure) or left more than 16 MB of
   * heap.
   */
  isolateMaxUses?: number;
  /**
   * Survive V8 out-of-memory failures that isolated-vm cannot stop inside the isolate (a hash table or
   * sparse array growing past the heap limit in one allocation). Default false: isolates are created
   * entirely off the event loop, and such a failure aborts the process. With true, each isolate itself
   * is created on the event-loop thread (about 1 ms per execution) with isolated-vm's catastrophic-error
   * handler: the execution ends as `memory_exceeded`, the isolate's thread and memory stay parked until
   * the process restarts (counted in `stats().isolatesLost`, logged at error level).
   */
  containCatastrophicErrors?: boolean;
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
  /** Sandboxes ready for an execution (a fresh context each, in a new or a reused isolate). */
  pooledIsolates: number;
  /** Isolates created since the executor started (each serves one or, reused, several executions). */
  isolatesCreated: number;
  /** Isolates lost to catastrophic V8 errors (with `containCatastrophicErrors`); restart the process soon. */
  isolatesLost: number;
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
