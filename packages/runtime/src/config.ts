import {
  ClientServicesSchema,
  ConfigError,
  parseOrThrow,
  ValidationError,
} from '@agent-tool-protocol/protocol';
import { z } from 'zod';
import type { ExecuteOptions, ExecutorConfig } from './types.js';

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', `${what}`);
const optionalFn = fn('must be a function').optional();
const count = z.number().int().min(0);

const LimitsSchema = z
  .object({
    timeout: z.number().positive(),
    cpuTime: z.number().positive(),
    maxMemory: z.number().positive(),
    maxLLMCalls: count,
    maxToolCalls: count,
    maxResultBytes: z.number().int().positive(),
    maxCodeBytes: z.number().int().positive(),
  })
  .partial();

const ExecutorConfigSchema = z.looseObject({
  dispatcher: z.looseObject({
    resolve: fn('must be a function (ApiDispatcher.resolve)'),
    suggest: fn('must be a function (ApiDispatcher.suggest)'),
  }),
  cache: z.looseObject({ get: fn('must be a CacheProvider') }).optional(),
  userCache: z
    .looseObject({
      get: fn('must be a function'),
      set: fn('must be a function'),
      delete: fn('must be a function'),
    })
    .optional(),
  quotas: z
    .object({
      maxLogEntries: count.optional(),
      maxLogBytes: count.optional(),
      maxCallbackPayloadBytes: z.number().int().positive().optional(),
    })
    .optional(),
  hooks: z
    .looseObject({ beforeToolCall: optionalFn, afterToolCall: optionalFn, transformCode: optionalFn })
    .optional(),
  maxLimits: LimitsSchema.optional(),
  defaultLimits: LimitsSchema.optional(),
  isolatePoolSize: count.max(64).optional(),
  isolateMaxUses: z.number().int().min(1).max(10_000).optional(),
  containCatastrophicErrors: z.boolean().optional(),
  maxHotPaused: count.optional(),
  maxHotPausedMemoryMB: z.number().positive().optional(),
  pausedStateTTLSeconds: z.number().int().positive().optional(),
  onApproval: optionalFn,
  validateClientToolInput: optionalFn,
  logger: z
    .looseObject({
      debug: fn('must be a function'),
      info: fn('must be a function'),
      warn: fn('must be a function'),
      error: fn('must be a function'),
    })
    .optional(),
  onEvent: optionalFn,
  onLog: optionalFn,
  onProgress: optionalFn,
});

export function validateExecutorConfig(config: ExecutorConfig): void {
  try {
    parseOrThrow(ExecutorConfigSchema, config, 'executor config', 'config');
  } catch (error) {
    if (error instanceof ValidationError) throw new ConfigError(error.message, error.issues);
    throw error;
  }
}

const ExecuteOptionsSchema = z.looseObject({
  code: z.string(),
  clientId: z.string().min(1, 'must not be empty'),
  executionId: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1-128 letters, digits, "_", ".", ":" or "-"')
    .optional(),
  services: ClientServicesSchema.partial().optional(),
  clientTools: z
    .array(
      z.looseObject({
        name: z.string().min(1, 'must not be empty'),
        namespace: z.string().min(1).optional(),
        metadata: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .optional(),
  limits: LimitsSchema.optional(),
});

export function validateExecuteOptions(code: string, options: ExecuteOptions): void {
  parseOrThrow(ExecuteOptionsSchema, { ...options, code }, 'execute options');
}
