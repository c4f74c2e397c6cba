import { type ExecutionResult, parseOrThrow } from '@agent-tool-protocol/protocol';
import { z } from 'zod';

/** Token usage a client may report next to a callback answer: `{id, result, usage}` or `{result, usage}`. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** What one execution has cost so far; kept across pauses (and engine instances) in the cache. */
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

/** What the audit record and history of an ended execution add: the same numbers as the result's `stats`. */
export interface ExecutionAccounting {
  toolCallsCount?: number;
  llmCallsCount?: number;
  inputTokens: number;
  outputTokens: number;
  bytesReturned: number;
  pauses: number;
}

export const emptyAccount = (): ExecutionAccount => ({
  inputTokens: 0,
  outputTokens: 0,
  bytesReturned: 0,
  pauses: 0,
});

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

/** Adds the tokens a resume reported. */
export function chargeTokens(account: ExecutionAccount, tokens: TokenUsage): void {
  account.inputTokens += tokens.inputTokens;
  account.outputTokens += tokens.outputTokens;
}

/** Charges the bytes of `result` to the account, then puts the account's totals in its `stats`. */
export function chargeResult(account: ExecutionAccount, result: ExecutionResult): void {
  account.bytesReturned += jsonBytes(result);
  result.stats.inputTokens = account.inputTokens;
  result.stats.outputTokens = account.outputTokens;
  result.stats.bytesReturned = account.bytesReturned;
}

/** The accounting of an ended execution from its account and (when it ended in a call) its stats. */
export function accountingOf(
  account: ExecutionAccount,
  stats?: ExecutionResult['stats'],
): ExecutionAccounting {
  return {
    ...(stats?.toolCallsCount === undefined ? {} : { toolCallsCount: stats.toolCallsCount }),
    ...(stats?.llmCallsCount === undefined ? {} : { llmCallsCount: stats.llmCallsCount }),
    inputTokens: account.inputTokens,
    outputTokens: account.outputTokens,
    bytesReturned: account.bytesReturned,
    pauses: account.pauses,
  };
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
