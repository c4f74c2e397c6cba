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
import type { ExecutionEvent, ExecutorConfig } from '@agent-tool-protocol/runtime';
import type { EngineConfig } from '../config/engine-config.js';

const MB = 1024 * 1024;

export interface ExecutorParts {
  dispatcher: APIDispatcher;
  cache: CacheProvider;
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
    ...(parts.hooks ? { hooks: parts.hooks } : {}),
    maxLimits: {
      timeout: execution.timeout,
      maxMemory: Math.round(execution.memory / MB),
      maxLLMCalls: execution.llmCalls,
      maxToolCalls: execution.maxToolCalls,
      cpuTime: execution.cpuTime,
      maxResultBytes: execution.maxResultBytes,
      maxCodeBytes: execution.maxCodeBytes,
    },
    isolatePoolSize: execution.isolatePoolSize,
    maxHotPaused: execution.maxHotPaused,
    pausedStateTTLSeconds: pausedStateTTLSeconds(config),
    ...(execution.onApproval ? { onApproval: execution.onApproval } : {}),
    validateClientToolInput: createToolInputValidator({
      logger: childLogger(parts.logger, { component: 'catalog' }),
    }),
    logger: childLogger(parts.logger, { component: 'runtime' }),
    onEvent: parts.onEvent,
    onLog: (entry) =>
      parts.logger.info(
        { executionId: entry.executionId, clientId: entry.clientId, data: entry.data },
        `[agent ${entry.level}] ${entry.message}`,
      ),
  };
}

/** How long paused state (journals, accounts, the paused count) outlives its pause, in seconds. */
export function pausedStateTTLSeconds(config: EngineConfig): number {
  return Math.max(config.executionState.ttl, config.executionState.maxPauseDuration);
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
