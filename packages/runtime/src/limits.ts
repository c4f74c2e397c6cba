import type { ExecutionLimits } from '@agent-tool-protocol/protocol';
import type { ExecutorQuotas } from './types.js';

/** Limits used when neither the request nor the executor's defaults give one. */
export const DEFAULT_LIMITS: ExecutionLimits = Object.freeze({
  timeout: 30_000,
  cpuTime: 10_000,
  maxMemory: 128,
  maxLLMCalls: 100,
  maxToolCalls: 1_000,
  maxResultBytes: 1_048_576,
  maxCodeBytes: 262_144,
});

/** Quotas used when the executor config gives none. */
export const DEFAULT_QUOTAS: Required<ExecutorQuotas> = Object.freeze({
  maxLogEntries: 1_000,
  maxLogBytes: 1_048_576,
  maxCallbackPayloadBytes: 1_048_576,
});

const LIMIT_KEYS = Object.keys(DEFAULT_LIMITS) as (keyof ExecutionLimits)[];

/** Smallest isolate heap isolated-vm accepts, in MB. */
const MIN_MEMORY_MB = 8;

function usable(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * The limits an execution runs with: each requested value, else the default, else DEFAULT_LIMITS,
 * clamped to the maximum when one is given. Whatever a request asks, the maximum wins.
 */
export function clampLimits(
  requested: Partial<ExecutionLimits> | undefined,
  defaults?: Partial<ExecutionLimits>,
  max?: Partial<ExecutionLimits>,
): ExecutionLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of LIMIT_KEYS) {
    const asked = requested?.[key];
    const fallback = defaults?.[key];
    let value = usable(asked) ? asked : usable(fallback) ? fallback : DEFAULT_LIMITS[key];
    const ceiling = max?.[key];
    if (usable(ceiling)) value = Math.min(value, ceiling);
    limits[key] = Math.floor(value);
  }
  limits.maxMemory = Math.max(limits.maxMemory, MIN_MEMORY_MB);
  limits.timeout = Math.max(limits.timeout, 1);
  limits.cpuTime = Math.max(limits.cpuTime, 1);
  return limits;
}
