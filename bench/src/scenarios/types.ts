// Shared shapes of the scenarios: a backend (an OpenAPI spec and one handler per operation), the
// conversation a model sees, and what a scenario defines.

/** A JSON value as a spec or tool schema holds it. */
export type JsonObject = Record<string, unknown>;

/** One operation's implementation; `input` holds the parameters by name and the JSON body under `body`. */
export type OperationHandler = (input: Record<string, unknown>) => unknown;

/**
 * What a correct run of a scenario produces, computed straight from the generated data (not from what
 * went through an API, MCP or the sandbox): the final answer, the side effects on the backend, and how
 * many requests each operation receives when the agent does the task without waste.
 */
export interface Expected {
  answer: unknown;
  effects: unknown;
  requests: Record<string, number>;
}

/** A local API: its OpenAPI document and the handlers, keyed by operationId. */
export interface Backend {
  spec: JsonObject;
  handlers: Record<string, OperationHandler>;
  /** What the operations have changed so far (labels, published documents, updated records). */
  effects(): unknown;
  /** Computed from the data when the backend is created, before any operation ran. */
  expected: Expected;
}

export interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

/**
 * One message of a conversation. Tool results are the exact text that enters the model's context; an
 * assistant message with `toolCalls` is followed by one `tool` message per call, in the same order.
 */
export type Message =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolName: string; content: string };

/** A tool as a tool-calling model is shown it on every request. */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: JsonObject;
}

/** What a model answers: one or more tool calls (several only with parallel tool calling), or its final text. */
export type ModelTurn = { toolCalls: ToolCall[]; text?: undefined } | { text: string; toolCalls?: undefined };

export interface TurnOptions {
  /** Whether the model may group independent tool calls in one turn (parallel tool calling). */
  parallelToolCalls: boolean;
}

/** A chat model as both agent loops use it. */
export interface ChatModel {
  /** The next step of an agent loop, given the whole context (tools are sent with every request). */
  next(messages: readonly Message[], tools: readonly ToolSpec[], options: TurnOptions): Promise<ModelTurn>;
  /** A single prompt → text completion (what `atp.llm.call` inside the sandbox asks). */
  complete(prompt: string): Promise<string>;
}

/** A tool call and its result as they appear in a conversation (results JSON-parsed). */
export interface Exchange {
  name: string;
  args: Record<string, unknown>;
  result: unknown;
}

export type ScenarioSize = 'full' | 'smoke';

/** A scenario of the seed's blog table, reproduced against local APIs. */
export interface Scenario {
  /** Also the backend name the MCP server script takes. */
  id: string;
  /** The ATP API group / MCP server name (`api.<group>.*`). */
  group: string;
  title: string;
  createBackend(size: ScenarioSize): Backend;
  /** The user's request, the same on both paths. */
  task: string;
  /** The code a model writes for ATP's `execute` (one call). */
  atpCode: string;
  /**
   * The scripted tool-calling model: every MCP tool call it can decide on from the exchanges in its
   * context (calls that need each other's results are never in the same list), in the order a serial
   * agent makes them, or the final answer. With parallel tool calling the model makes the whole list in
   * one turn; without, the first. MCP tool names are the spec's operationIds with `/` → `_`.
   */
  baselineStep(exchanges: readonly Exchange[]): ToolCall[] | { answer: unknown };
  /** The scripted model's answer to an `atp.llm.call` prompt this scenario's code sends. */
  judge(prompt: string): string;
}
