import type { LLMProvider } from '@agent-tool-protocol/client';
import { type JSONSchema, parseOrThrow, ValidationError } from '@agent-tool-protocol/protocol';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { type BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { RunnableConfig } from '@langchain/core/runnables';
import { z } from 'zod';
import { matchCategory, parseJSONAnswer } from './json-answer.js';
import { createLimiter } from './limiter.js';

const ChatModelLLMOptionsSchema = z.object({
  /** A system message sent before every prompt (agent code can override it per call with `options.system`). */
  system: z.string().optional(),
  /** `auto` (default): `extract` uses `withStructuredOutput` when the model can call tools; `prompt`: always a JSON-schema prompt. */
  extractWith: z.enum(['auto', 'prompt']).default('auto'),
  /** Most model calls at once for one client (a paused execution may ask for many). Default: no limit. */
  maxConcurrency: z.number().int().min(1).optional(),
  /** Passed to every `invoke` (callbacks, tags, metadata for tracing). */
  config: z.custom<RunnableConfig>((value) => typeof value === 'object' && value !== null).optional(),
});

export type ChatModelLLMOptions = z.input<typeof ChatModelLLMOptionsSchema>;

type ChatModelLike = Pick<BaseChatModel, 'invoke'> &
  Partial<Pick<BaseChatModel, 'bindTools' | 'withStructuredOutput'>>;

/** The text of a chat model's answer, whether its content is a string or content blocks. */
function messageText(message: BaseMessage): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  return content
    .map((block) =>
      typeof block === 'string' ? block : block.type === 'text' ? String(block.text ?? '') : '',
    )
    .join('');
}

function messagesFor(prompt: string, system: unknown): BaseMessage[] {
  return typeof system === 'string' && system
    ? [new SystemMessage(system), new HumanMessage(prompt)]
    : [new HumanMessage(prompt)];
}

// Tool calling (which structured output rides on) needs an object at the top: wrap anything else.
function asObjectSchema(schema: JSONSchema): { schema: JSONSchema; unwrap: (value: any) => unknown } {
  if (schema.type === 'object') return { schema, unwrap: (value) => value };
  return {
    schema: { type: 'object', properties: { value: schema }, required: ['value'] },
    unwrap: (value) => value?.value,
  };
}

/**
 * An ATP LLM provider (`client.provideLLM(...)`) from any LangChain chat model: `atp.llm.call` is
 * one `invoke`; `atp.llm.extract` uses structured output when the model supports tool calling
 * (falling back to a JSON-schema prompt when that fails) and the prompt otherwise;
 * `atp.llm.classify` asks for one category and matches the answer.
 */
export function llmFromChatModel(model: ChatModelLike, options: ChatModelLLMOptions = {}): LLMProvider {
  if (typeof model?.invoke !== 'function') {
    throw new ValidationError(
      'llmFromChatModel: model must be a LangChain chat model (an object with invoke()).',
      [{ path: 'model', message: 'must have an invoke() method' }],
    );
  }
  const settings = parseOrThrow(ChatModelLLMOptionsSchema, options, 'llmFromChatModel options', 'options');
  const limit = createLimiter(settings.maxConcurrency ?? Number.POSITIVE_INFINITY);
  const systemOf = (callOptions?: Record<string, unknown>) => callOptions?.system ?? settings.system;

  const call = (prompt: string, callOptions?: Record<string, unknown>) =>
    limit(async () =>
      messageText(await model.invoke(messagesFor(prompt, systemOf(callOptions)), settings.config)),
    );

  const extractByPrompt = async (prompt: string, schema: JSONSchema, callOptions?: Record<string, unknown>) =>
    parseJSONAnswer(
      await call(
        `${prompt}\n\nAnswer with only a JSON value that matches this JSON Schema (no prose, no code fence):\n${JSON.stringify(schema)}`,
        callOptions,
      ),
    );

  return {
    call,
    async extract(prompt, schema, callOptions) {
      const canCallTools =
        typeof model.bindTools === 'function' && typeof model.withStructuredOutput === 'function';
      if (settings.extractWith === 'prompt' || !canCallTools)
        return extractByPrompt(prompt, schema, callOptions);
      const wrapped = asObjectSchema(schema);
      try {
        const structured = model.withStructuredOutput!(wrapped.schema as Record<string, any>, {
          name: 'extract',
        });
        return await limit(async () =>
          wrapped.unwrap(
            await structured.invoke(messagesFor(prompt, systemOf(callOptions)), settings.config),
          ),
        );
      } catch {
        // Providers differ in which schemas their structured output accepts: the prompt works with any.
        return extractByPrompt(prompt, schema, callOptions);
      }
    },
    async classify(text, categories, callOptions) {
      const answer = await call(
        `Classify the text into exactly one of these categories: ${categories.map((c) => JSON.stringify(c)).join(', ')}.\nAnswer with the category only.\n\nText:\n${text}`,
        callOptions,
      );
      return matchCategory(answer, categories);
    },
  };
}
