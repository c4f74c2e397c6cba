import type {
  ApprovalResponse,
  JSONSchema,
  LLMProvider,
  PendingCallback,
} from '@agent-tool-protocol/protocol';

/** Tokens an LLM call used; sent to the server next to the answer (`{id, result, usage}`). */
export interface TokenUsage {
  inputTokens?: number;
  outputTokens?: number;
}

/** What `call`/`classify` may return instead of a plain string, to report token usage. */
export interface LLMAnswer {
  text: string;
  usage?: TokenUsage;
}

/** The client's LLM: a protocol LLMProvider whose `call`/`classify` may also answer `{text, usage}`. */
export interface ClientLLMProvider extends Omit<LLMProvider, 'call' | 'classify'> {
  call(prompt: string, options?: Record<string, unknown>): Promise<string | LLMAnswer>;
  classify?(
    text: string,
    categories: string[],
    options?: Record<string, unknown>,
  ): Promise<string | LLMAnswer>;
}

export type { LLMProvider };

/** One callback answer and the token usage reported with it, if any. */
export interface CallbackAnswer {
  result: unknown;
  usage?: TokenUsage;
}

function unwrapLLMAnswer(answer: string | LLMAnswer): { text: string; usage?: TokenUsage } {
  if (typeof answer === 'object' && answer !== null && typeof answer.text === 'string') {
    return answer.usage ? { text: answer.text, usage: answer.usage } : { text: answer.text };
  }
  return { text: answer as string };
}

function withUsage(result: unknown, usage: TokenUsage | undefined): CallbackAnswer {
  return usage ? { result, usage } : { result };
}

export type ApprovalHandler =
  | { request(message: string, context?: unknown): Promise<ApprovalResponse> }
  | ((message: string, context?: unknown) => Promise<ApprovalResponse | boolean>);

export interface EmbeddingProvider {
  embed(text: string): Promise<number[]>;
}

export interface ClientTool {
  name: string;
  description?: string;
  inputSchema?: JSONSchema;
  outputSchema?: JSONSchema;
  namespace?: string;
  metadata?: Record<string, unknown>;
  handler(input: any): unknown | Promise<unknown>;
}

/** The client-side services that answer a paused execution's callbacks. */
export class CallbackServices {
  llm: ClientLLMProvider | undefined;
  approval: ApprovalHandler | undefined;
  embedding: EmbeddingProvider | undefined;
  readonly tools = new Map<string, ClientTool>();

  flags() {
    return {
      hasLLM: this.llm !== undefined,
      hasApproval: this.approval !== undefined,
      hasEmbedding: this.embedding !== undefined,
      hasTools: this.tools.size > 0,
    };
  }

  /** Answers one callback; throws when the client cannot (the caller turns that into `__error`). */
  async answer(callback: PendingCallback): Promise<unknown> {
    return (await this.answerWithUsage(callback)).result;
  }

  /** Like `answer`, with the token usage an LLM provider reported (for the server's cost accounting). */
  async answerWithUsage(callback: PendingCallback): Promise<CallbackAnswer> {
    if (callback.type === 'llm')
      return this.answerLLM(callback.operation, callback.payload as Record<string, any>);
    return { result: await this.answerOther(callback) };
  }

  private async answerOther(callback: PendingCallback): Promise<unknown> {
    const payload = callback.payload as Record<string, any>;
    switch (callback.type) {
      case 'approval': {
        if (!this.approval) throw new Error('This client provides no approval service (provideApproval).');
        const context = payload.context ?? { executionId: payload.executionId };
        const answer =
          typeof this.approval === 'function'
            ? await this.approval(payload.message, context)
            : await this.approval.request(payload.message, context);
        return typeof answer === 'boolean' ? { approved: answer } : answer;
      }
      case 'embedding': {
        if (!this.embedding) throw new Error('This client provides no embedding service (provideEmbedding).');
        const text = callback.operation === 'search' ? payload.query : payload.text;
        return this.embedding.embed(String(text));
      }
      case 'tool': {
        const tool = this.tools.get(String(payload.toolName));
        if (!tool) throw new Error(`This client has no tool named "${payload.toolName}".`);
        return tool.handler(payload.input);
      }
      default:
        throw new Error(`Unknown callback type "${callback.type}".`);
    }
  }

  private async answerLLM(operation: string, payload: Record<string, any>): Promise<CallbackAnswer> {
    const llm = this.llm;
    if (!llm) throw new Error('This client provides no LLM (provideLLM).');
    switch (operation) {
      case 'call': {
        const { text, usage } = unwrapLLMAnswer(await llm.call(payload.prompt, payload.options));
        return withUsage(text, usage);
      }
      case 'extract': {
        if (llm.extract)
          return { result: await llm.extract(payload.prompt, payload.schema, payload.options) };
        const { text, usage } = unwrapLLMAnswer(
          await llm.call(
            `${payload.prompt}\n\nAnswer with only a JSON value matching this JSON Schema:\n${JSON.stringify(payload.schema)}`,
            payload.options,
          ),
        );
        return withUsage(JSON.parse(text), usage);
      }
      case 'classify': {
        if (llm.classify) {
          const { text, usage } = unwrapLLMAnswer(
            await llm.classify(payload.text, payload.categories, payload.options),
          );
          return withUsage(text, usage);
        }
        const categories: string[] = payload.categories;
        const { text, usage } = unwrapLLMAnswer(
          await llm.call(
            `Classify the text into exactly one of: ${categories.join(', ')}.\nText: ${payload.text}\nAnswer with the category only.`,
            payload.options,
          ),
        );
        const answer = text.trim();
        return withUsage(
          categories.find((category) => category.toLowerCase() === answer.toLowerCase()) ?? answer,
          usage,
        );
      }
      default:
        throw new Error(`Unsupported LLM operation "${operation}".`);
    }
  }
}
