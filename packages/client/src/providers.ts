import type {
  ApprovalResponse,
  JSONSchema,
  LLMProvider,
  PendingCallback,
} from '@agent-tool-protocol/protocol';

export type { LLMProvider };

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
  llm: LLMProvider | undefined;
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
    const payload = callback.payload as Record<string, any>;
    switch (callback.type) {
      case 'llm':
        return this.answerLLM(callback.operation, payload);
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

  private async answerLLM(operation: string, payload: Record<string, any>): Promise<unknown> {
    const llm = this.llm;
    if (!llm) throw new Error('This client provides no LLM (provideLLM).');
    switch (operation) {
      case 'call':
        return llm.call(payload.prompt, payload.options);
      case 'extract':
        if (llm.extract) return llm.extract(payload.prompt, payload.schema, payload.options);
        return JSON.parse(
          await llm.call(
            `${payload.prompt}\n\nAnswer with only a JSON value matching this JSON Schema:\n${JSON.stringify(payload.schema)}`,
            payload.options,
          ),
        );
      case 'classify': {
        if (llm.classify) return llm.classify(payload.text, payload.categories, payload.options);
        const categories: string[] = payload.categories;
        const answer = (
          await llm.call(
            `Classify the text into exactly one of: ${categories.join(', ')}.\nText: ${payload.text}\nAnswer with the category only.`,
            payload.options,
          )
        ).trim();
        return categories.find((category) => category.toLowerCase() === answer.toLowerCase()) ?? answer;
      }
      default:
        throw new Error(`Unsupported LLM operation "${operation}".`);
    }
  }
}
