import type {
  ApiDispatcher,
  CacheProvider,
  ExecutionHooks,
  LogEntry,
  ProgressEvent,
} from '@agent-tool-protocol/protocol';
import type { ExecutionStore } from '../durable/store.js';
import type {
  ApprovalHandler,
  ExecutionEvent,
  ExecutorConfig,
  ExecutorQuotas,
  RuntimeLogger,
  UserCacheStore,
} from '../types.js';

/** What every execution of one executor shares. */
export interface ExecutionDeps {
  dispatcher: ApiDispatcher;
  hooks: ExecutionHooks;
  cache: CacheProvider;
  /** `atp.cache.*`. */
  userCache: UserCacheStore;
  quotas: Required<ExecutorQuotas>;
  store: ExecutionStore;
  logger: RuntimeLogger;
  onApproval: ApprovalHandler | undefined;
  validateClientToolInput: ExecutorConfig['validateClientToolInput'];
  emit(event: ExecutionEvent): void;
  onLog: ((entry: LogEntry & { executionId: string; clientId: string }) => void) | undefined;
  onProgress: ((event: ProgressEvent & { clientId: string }) => void) | undefined;
}

/** Per-leg listeners (an execute or a resume call). */
export interface LegListeners {
  onLog?(entry: LogEntry): void;
  onProgress?(event: ProgressEvent): void;
}

export const SILENT_LOGGER: RuntimeLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
