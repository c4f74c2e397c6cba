import { createToolInputValidator } from '@agent-tool-protocol/catalog';
import {
  type APIDispatcher,
  type CacheProvider,
  childLogger,
  type ExecutionConfig,
  type ExecutionHooks,
  type ExecutionLimits,
  type Logger,
} from '@agent-tool-protocol/protocol';
import type { ExecutionEvent, ExecutorConfig, UserCacheStore } from '@agent-tool-protocol/runtime';
import type { EngineConfig } from '../config/engine-config.js';

const MB = 1024 * 1024;

export interface ExecutorParts {
  dispatcher: APIDispatcher;
  /** Where durable execution state goes (the engine passes its metering wrapper of the system store). */
  cache: CacheProvider;
  /** `atp.cache.*`, with per-client quotas. */
  userCache: UserCacheStore;
  hooks: ExecutionHooks | undefined;
  logger: Logger;
  onEvent: (event: ExecutionEvent) => void;
}

/** The runtime's executor config: the engine's maxima (memory in MB), its parts, and `atp.log` to the log. */
export function executorConfig(config: EngineConfig, parts: ExecutorParts): ExecutorConfig {
  const execution = config.execution;
  return {
    dispatcher: parts.dispatcher,
    cache: parts.cache,
    userCache: parts.userCache,
    quotas: {
      maxLogEntries: config.quotas.logs.maxEntries,
      maxLogBytes: config.quotas.logs.maxBytes,
      maxCallbackPayloadBytes: config.quotas.callbacks.maxPayloadBytes,
    },
    ...(parts.hooks ? { hooks: parts.hooks } : {}),
    // The config's values are what every execution gets, and the most a request may ask for.
    maxLimits: serverLimits(config),
    defaultLimits: serverLimits(config),
    isolatePoolSize: execution.isolatePoolSize,
    maxHotPaused: execution.maxHotPaused,
    pausedStateTTLSeconds: pausedStateTTLSeconds(config),
    ...(execution.onApproval ? { onApproval: execution.onApproval } : {}),
    validateClientToolInput: createToolInputValidator({
      logger: childLogger(parts.logger, { component: 'catalog' }),
    }),
    logger: childLogger(parts.logger, { component: 'runtime' }),
    // Agent log lines reach the server log once: the runtime logs each at the agent's own level.
    onEvent: parts.onEvent,
  };
}

/** `execution.*` in the runtime's units (memory in MB). */
function serverLimits(config: EngineConfig): Partial<ExecutionLimits> {
  const execution = config.execution;
  return {
    timeout: execution.timeout,
    maxMemory: Math.round(execution.memory / MB),
    maxLLMCalls: execution.llmCalls,
    maxToolCalls: execution.maxToolCalls,
    cpuTime: execution.cpuTime,
    maxResultBytes: execution.maxResultBytes,
    maxCodeBytes: execution.maxCodeBytes,
  };
}

/**
 * How long a pause lasts, in seconds: `executionState.ttl` and `maxPauseDuration` each bound it, so the
 * shorter wins. Paused state (journals, accounts, the paused count) expires with it; a resume after it
 * finds the execution gone.
 */
export function pausedStateTTLSeconds(config: EngineConfig): number {
  return Math.min(config.executionState.ttl, config.executionState.maxPauseDuration);
}

/** The limits a request asks for, in the runtime's units (memory in MB); clamped by the executor. */
export function requestedLimits(config: ExecutionConfig): Partial<ExecutionLimits> {
  const limits = {
    timeout: config.timeout,
    maxMemory: config.maxMemory === undefined ? undefined : Math.max(1, Math.round(config.maxMemory / MB)),
    maxLLMCalls: config.maxLLMCalls,
    maxToolCalls: config.maxToolCalls,
    cpuTime: config.cpuTime,
    maxResultBytes: config.maxResultBytes,
  };
  return Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined));
}
