import { type CacheProvider, parseOrThrow } from '@agent-tool-protocol/protocol';
import { z } from 'zod';

/** Token usage a client may report next to a callback answer: `{id, result, usage}` or `{result, usage}`. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

const tokenCount = z.number().int('must be an integer').min(0, 'must not be negative');
const UsageSchema = z.looseObject({
  inputTokens: tokenCount.optional(),
  outputTokens: tokenCount.optional(),
});
const UsageCarrierSchema = z.looseObject({
  usage: UsageSchema.optional(),
  results: z.array(z.looseObject({ usage: UsageSchema.optional() })).optional(),
});

/**
 * Sums the token usage reported in a resume body. Old clients send none (zero usage); a malformed
 * `usage` is a ValidationError naming the field, raised before any callback is consumed.
 */
export function usageFromResumeBody(body: unknown): TokenUsage {
  const parsed = parseOrThrow(UsageCarrierSchema, body ?? {}, 'resume request');
  const total: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  for (const usage of [parsed.usage, ...(parsed.results ?? []).map((entry) => entry.usage)]) {
    total.inputTokens += usage?.inputTokens ?? 0;
    total.outputTokens += usage?.outputTokens ?? 0;
  }
  return total;
}

/** What one execution has cost so far; kept across pauses (and server instances) in the cache. */
export interface ExecutionAccount {
  inputTokens: number;
  outputTokens: number;
  bytesReturned: number;
  pauses: number;
  /** When it paused last (epoch ms), for the round trip span of a resume on another instance. */
  pausedAt?: number;
  /** The execution span's W3C `traceparent`, so a resume elsewhere continues the same trace. */
  traceparent?: string;
}

export const emptyAccount = (): ExecutionAccount => ({
  inputTokens: 0,
  outputTokens: 0,
  bytesReturned: 0,
  pauses: 0,
});

const accountKey = (executionId: string) => `atp:account:${executionId}`;

/** Persists accounts of paused executions in the server's cache provider. */
export class AccountStore {
  constructor(
    private readonly cache: () => CacheProvider,
    private readonly ttlSeconds: number,
  ) {}

  async save(executionId: string, account: ExecutionAccount): Promise<void> {
    await this.cache().set(accountKey(executionId), account, this.ttlSeconds);
  }

  async load(executionId: string): Promise<ExecutionAccount | undefined> {
    return (await this.cache().get<ExecutionAccount>(accountKey(executionId))) ?? undefined;
  }

  async delete(executionId: string): Promise<void> {
    await this.cache().delete(accountKey(executionId));
  }
}

/** Size in bytes of `value` as JSON (0 for undefined). */
export function jsonBytes(value: unknown): number {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? 0 : Buffer.byteLength(text);
  } catch {
    return 0;
  }
}
