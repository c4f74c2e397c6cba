import { type ExecutionHooks, ProvenanceMode, TypecheckModeSchema } from '@agent-tool-protocol/protocol';
import { z } from 'zod';

const positiveInt = z.number().int().positive();
const isObject = (value: unknown) => typeof value === 'object' && value !== null;

/** Decides an approval when the client provides no approval service. */
export type ServerApprover = (request: {
  message: string;
  context?: unknown;
  executionId: string;
  clientId: string;
}) => Promise<{ approved: boolean; reason?: string }>;

/** `execution` in the engine config: the maxima every request is clamped to, and the security layer. */
export const ExecutionSettingsSchema = z
  .object({
    /** Wall-clock limit in ms (maximum; requests may ask for less). */
    timeout: positiveInt.default(30_000),
    /** Isolate memory limit in bytes (seed convention: `128 * 1024 * 1024`). */
    memory: positiveInt.min(8 * 1024 * 1024, 'must be at least 8 MB').default(128 * 1024 * 1024),
    /** Most LLM callbacks one execution may make. */
    llmCalls: z.number().int().min(0).default(10),
    cpuTime: positiveInt.default(10_000),
    maxToolCalls: z.number().int().min(0).default(1_000),
    maxResultBytes: positiveInt.default(5 * 1024 * 1024),
    maxCodeBytes: positiveInt.default(256 * 1024),
    /** Running executions at once across all clients, and per client; beyond them: 429. */
    maxConcurrent: positiveInt.default(64),
    maxConcurrentPerClient: positiveInt.default(8),
    /** Paused executions one client may hold on this instance; a new execution beyond it: 429. */
    maxPausedPerClient: positiveInt.default(100),
    provenanceMode: z.enum([ProvenanceMode.NONE, ProvenanceMode.PROXY, ProvenanceMode.AST]).default('none'),
    securityPolicies: z.array(z.unknown()).default([]),
    /** The rules file (docs/security.md): a YAML/JSON path (reloaded on change) or a rules object. */
    rules: z.union([z.string().min(1, 'must not be empty'), z.record(z.string(), z.unknown())]).optional(),
    /**
     * Security-layer options (allow/deny, clients, user, readers, …): SecurityOptions. The layer is on by
     * default (destructive and `requiresApproval` calls ask for approval, denied when nobody can give
     * it); `false` turns it off entirely.
     */
    security: z.union([z.literal(false), z.record(z.string(), z.unknown())]).optional(),
    hooks: z.custom<ExecutionHooks>(isObject, 'must be an ExecutionHooks object').optional(),
    /** Fresh isolates kept warm. */
    isolatePoolSize: z.number().int().min(0).max(64).default(2),
    /** Paused executions kept hot in memory before older ones move to the durable path. */
    maxHotPaused: z.number().int().min(0).default(100),
    /** Type-check agent code before it runs (docs/typecheck.md); requests may choose their own mode. */
    typecheck: TypecheckModeSchema.default('off'),
    /** Server-side approver used when the client provides no approval service. */
    onApproval: z
      .custom<ServerApprover>((value) => typeof value === 'function', 'must be a function')
      .optional(),
  })
  .prefault({});
