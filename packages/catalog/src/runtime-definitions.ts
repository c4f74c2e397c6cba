import type { ClientServices } from '@agent-tool-protocol/protocol';

// The `atp.*` declarations a client's agent code can use. `log`, `progress` and `cache` run on the
// server and are always there; `llm`, `approval` and `embedding` pause for the client, so they are
// declared only when the client said it can answer them (`services.has*`).

const SECTIONS = {
  log: `  /** Log lines are returned with the execution result and go to the server log. */
  log: {
    debug(message: string, data?: unknown): void;
    info(message: string, data?: unknown): void;
    warn(message: string, data?: unknown): void;
    error(message: string, data?: unknown): void;
  };`,
  progress: `  progress: {
    /** Reports progress to the client; \`fraction\` is between 0 and 1 when known. */
    report(message: string, fraction?: number, data?: unknown): void;
    /** The same from counts: the fraction is \`current / total\`. */
    report(progress: { current: number; total: number; message?: string }): void;
  };`,
  cache: `  /** A key-value cache private to this client, shared by its executions. */
  cache: {
    /** The stored value, or undefined when the key is absent or expired. */
    get<T = unknown>(key: string): Promise<T | undefined>;
    set(key: string, value: unknown, ttlSeconds?: number): Promise<void>;
    /** True when the key existed. */
    delete(key: string): Promise<boolean>;
  };`,
  llm: `  /** The client's language model. Each call pauses the execution until the client answers. */
  llm: {
    call(prompt: string, options?: { system?: string; model?: string; temperature?: number; maxTokens?: number; [option: string]: unknown }): Promise<string>;
    call(input: { prompt: string; system?: string; model?: string; temperature?: number; maxTokens?: number; [option: string]: unknown }): Promise<string>;
    /** Asks the model for a value matching a JSON Schema. */
    extract<T = unknown>(prompt: string, schema: Record<string, unknown>, options?: { [option: string]: unknown }): Promise<T>;
    extract<T = unknown>(input: { prompt: string; schema: Record<string, unknown>; [option: string]: unknown }): Promise<T>;
    /** Returns one of \`categories\`. */
    classify(text: string, categories: string[], options?: { [option: string]: unknown }): Promise<string>;
    classify(input: { text: string; categories: string[]; [option: string]: unknown }): Promise<string>;
  };`,
  approval: `  /** Asks a person (through the client) to approve an action. */
  approval: {
    request(message: string, context?: unknown): Promise<{ approved: boolean; reason?: string }>;
  };`,
  embedding: `  /**
   * The client's embedding model (each call pauses the execution until the client answers), with a vector
   * store kept for this execution: embed texts, then search them by meaning.
   */
  embedding: {
    /** Embeds and stores \`text\` (with \`metadata\` for search filters); answers its id (an array for an array). */
    embed(text: string, metadata?: Record<string, unknown>): Promise<string>;
    embed(texts: string[], metadata?: Record<string, unknown>): Promise<string[]>;
    /** What this execution stored, most similar to \`query\` first (default \`topK\` 5). */
    search(query: string, options?: { topK?: number; minSimilarity?: number; filter?: Record<string, unknown>; [option: string]: unknown }): Promise<Array<{ id: string; text: string; similarity: number; metadata?: Record<string, unknown> }>>;
    /** The embedding vector of \`text\` (not stored). */
    vector(text: string): Promise<number[]>;
    /** Cosine similarity of two vectors. */
    similarity(a: number[], b: number[]): number;
    /** How many texts this execution stored. */
    count(): number;
    getAll(): Array<{ id: string; text: string; embedding: number[]; metadata?: Record<string, unknown> }>;
  };`,
} as const;

export type RuntimeApiName = keyof typeof SECTIONS;

/** Every `atp.*` namespace, in declaration order. */
export const RUNTIME_APIS = Object.keys(SECTIONS) as RuntimeApiName[];

function available(services: Partial<ClientServices>): Set<RuntimeApiName> {
  const names = new Set<RuntimeApiName>(['log', 'progress', 'cache']);
  if (services.hasLLM) names.add('llm');
  if (services.hasApproval) names.add('approval');
  if (services.hasEmbedding) names.add('embedding');
  return names;
}

/**
 * `declare const atp: { … }` for exactly the services a client has. `apis` (e.g. `['llm', 'cache']`)
 * narrows it further; names the client cannot use, or that do not exist, are left out.
 */
export function generateRuntimeDefinitions(
  services: Partial<ClientServices>,
  apis?: readonly string[],
): string {
  const usable = available(services);
  const wanted = apis === undefined ? undefined : new Set(apis.map((name) => name.trim().toLowerCase()));
  const sections = RUNTIME_APIS.filter((name) => usable.has(name) && (!wanted || wanted.has(name))).map(
    (name) => SECTIONS[name],
  );
  const body = sections.length === 0 ? '{}' : `{\n${sections.join('\n')}\n}`;
  return `declare const atp: ${body};\n`;
}
