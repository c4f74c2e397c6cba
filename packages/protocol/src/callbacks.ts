import { z } from 'zod';

// Payloads of each callback type/operation (PROTOCOL.md "Callbacks"), and what the client answers.

export const LLMCallPayloadSchema = z.looseObject({
  prompt: z.string(),
  options: z.record(z.string(), z.unknown()).optional(),
});
export const LLMExtractPayloadSchema = z.looseObject({
  prompt: z.string(),
  schema: z.record(z.string(), z.unknown()),
  options: z.record(z.string(), z.unknown()).optional(),
});
export const LLMClassifyPayloadSchema = z.looseObject({
  text: z.string(),
  categories: z.array(z.string()).min(1),
  options: z.record(z.string(), z.unknown()).optional(),
});
export const ApprovalRequestPayloadSchema = z.looseObject({
  message: z.string(),
  context: z.unknown().optional(),
  executionId: z.string(),
});
export const EmbeddingEmbedPayloadSchema = z.looseObject({ text: z.string() });
export const EmbeddingSearchPayloadSchema = z.looseObject({ query: z.string() });
export const ToolCallPayloadSchema = z.looseObject({ toolName: z.string(), input: z.unknown() });

export type LLMCallPayload = z.infer<typeof LLMCallPayloadSchema>;
export type LLMExtractPayload = z.infer<typeof LLMExtractPayloadSchema>;
export type LLMClassifyPayload = z.infer<typeof LLMClassifyPayloadSchema>;
export type ApprovalRequestPayload = z.infer<typeof ApprovalRequestPayloadSchema>;
export type EmbeddingEmbedPayload = z.infer<typeof EmbeddingEmbedPayloadSchema>;
export type EmbeddingSearchPayload = z.infer<typeof EmbeddingSearchPayloadSchema>;
export type ToolCallPayload = z.infer<typeof ToolCallPayloadSchema>;

export const ApprovalResponseSchema = z.looseObject({ approved: z.boolean(), reason: z.string().optional() });
export type ApprovalResponse = z.infer<typeof ApprovalResponseSchema>;

export const EmbeddingVectorSchema = z.array(z.number());

/** The payload schema for each `type/operation` pair. */
export const CALLBACK_PAYLOAD_SCHEMAS = {
  'llm/call': LLMCallPayloadSchema,
  'llm/extract': LLMExtractPayloadSchema,
  'llm/classify': LLMClassifyPayloadSchema,
  'approval/request': ApprovalRequestPayloadSchema,
  'embedding/embed': EmbeddingEmbedPayloadSchema,
  'embedding/search': EmbeddingSearchPayloadSchema,
  'tool/call': ToolCallPayloadSchema,
} as const;
export type CallbackKind = keyof typeof CALLBACK_PAYLOAD_SCHEMAS;

/** The value a client sends back when it cannot answer a callback. */
export function callbackError(message: string): { __error: true; message: string } {
  return { __error: true, message };
}

export function isCallbackError(value: unknown): value is { __error: true; message: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { __error?: unknown }).__error === true &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
