import { parseOrThrow } from '@agent-tool-protocol/protocol';
import { z } from 'zod';
import { type Logger, silentLogger } from '../logger.js';

const loggerSchema = z.custom<Logger>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    ['debug', 'info', 'warn', 'error'].every(
      (level) => typeof (value as Record<string, unknown>)[level] === 'function',
    ),
  'must be a pino-compatible logger (debug, info, warn, error)',
);

export const ATPMCPServerOptionsSchema = z.strictObject({
  /** `serverInfo.name` the MCP client sees. */
  name: z.string().min(1).default('agent-tool-protocol'),
  version: z.string().min(1).default('0.1.0'),
  /** Replaces the default `instructions` (how to use search_api → explore_api → execute_code). */
  instructions: z.string().optional(),
  /** Tool results longer than this many characters are cut, with a note telling the model why. */
  maxResultChars: z.number().int().min(200).default(20_000),
  /** How long one sampling or elicitation request may take (a person may be answering it). */
  callbackTimeoutMs: z.number().int().positive().default(300_000),
  /** `maxTokens` for sampling requests when agent code passes none. */
  defaultMaxTokens: z.number().int().positive().default(1024),
  logger: loggerSchema.default(silentLogger),
});

export type ATPMCPServerOptions = z.input<typeof ATPMCPServerOptionsSchema>;
export type ResolvedATPMCPServerOptions = z.output<typeof ATPMCPServerOptionsSchema>;

export function parseATPMCPServerOptions(options: ATPMCPServerOptions = {}): ResolvedATPMCPServerOptions {
  return parseOrThrow(ATPMCPServerOptionsSchema, options, 'ATP MCP server options');
}
