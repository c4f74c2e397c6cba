import { ExecutionConfigSchema, parseOrThrow } from '@agent-tool-protocol/protocol';
import { z } from 'zod';

export const ATP_TOOL_KINDS = ['search', 'explore', 'execute', 'definitions'] as const;
export type ATPToolKind = (typeof ATP_TOOL_KINDS)[number];

const ATPToolsOptionsSchema = z.object({
  /** Which tools to create. Default: search, explore and execute (definitions is opt-in: it can be long). */
  tools: z.array(z.enum(ATP_TOOL_KINDS)).min(1, 'must name at least one tool').optional(),
  /** Prefix of every tool name; `atp_` gives `atp_search_api`, `atp_explore_api`, `atp_execute_code`. */
  namePrefix: z
    .string()
    .regex(/^[a-zA-Z0-9_-]*$/, 'may hold only letters, digits, "_" and "-" (tool-name rules of model APIs)')
    .default('atp_'),
  /** Longest tool answer in characters; longer answers are cut with a note telling the model to return less. */
  maxResultChars: z.number().int().min(200).default(4000),
  /** Search hits returned when the model does not ask for a number. */
  searchResults: z.number().int().min(1).max(50).default(8),
  /** Limit discovery (search, definitions) to these API groups. */
  apiGroups: z.array(z.string().min(1)).optional(),
  /** Execution limits sent with every `atp_execute_code` call (the server clamps them to its maxima). */
  executionConfig: ExecutionConfigSchema.optional(),
  /** Replace a tool's description (start from the exported ones, e.g. `EXECUTE_DESCRIPTION + '\n…'`). */
  descriptions: z.partialRecord(z.enum(ATP_TOOL_KINDS), z.string().min(1)).default({}),
  /** Include `atp.log.*` lines of an execution in the tool answer (at most this many; 0 = none). */
  maxLogLines: z.number().int().min(0).default(10),
});

export type ATPToolsOptions = z.input<typeof ATPToolsOptionsSchema>;
export type ResolvedATPToolsOptions = z.output<typeof ATPToolsOptionsSchema>;

export function parseToolsOptions(options: unknown): ResolvedATPToolsOptions {
  return parseOrThrow(ATPToolsOptionsSchema, options ?? {}, 'createATPTools options', 'options');
}
