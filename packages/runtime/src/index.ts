export { executionKeyOf } from './durable/store.js';
export { createExecutor } from './executor.js';
export { clampLimits, DEFAULT_LIMITS, DEFAULT_QUOTAS } from './limits.js';
export { stripTypes } from './sandbox/agent-code.js';
export { createSimpleDispatcher } from './simple-dispatcher.js';
export type {
  ApprovalHandler,
  ClientToolRef,
  ExecuteOptions,
  ExecutionEvent,
  Executor,
  ExecutorConfig,
  ExecutorQuotas,
  ExecutorStats,
  ResumeOptions,
  RuntimeLogger,
  UserCacheStore,
} from './types.js';
