export { createExecutor } from './executor.js';
export { clampLimits, DEFAULT_LIMITS } from './limits.js';
export { stripTypes } from './sandbox/agent-code.js';
export { createSimpleDispatcher } from './simple-dispatcher.js';
export type {
  ApprovalHandler,
  ClientToolRef,
  ExecuteOptions,
  ExecutionEvent,
  Executor,
  ExecutorConfig,
  ExecutorStats,
  ResumeOptions,
  RuntimeLogger,
} from './types.js';
