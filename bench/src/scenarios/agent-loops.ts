// The two ways an agent reaches the same answer. Tool calling: every tool result goes into the
// context and the model picks the next call, one per turn (what MCP clients do). ATP: the model
// writes code once, the sandbox calls the APIs, and only the code's return value enters the context.
import type { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import type { APIGroup } from '@agent-tool-protocol/protocol';
import type { MeteredModel } from './metered-model.ts';
import { EXECUTE_TOOL } from './scripted-model.ts';
import type { Message, ToolCall, ToolSpec } from './types.ts';

export interface PathResult {
  /** The model's final text, JSON-parsed when it is JSON. */
  answer: unknown;
  /** Tool calls the model made (MCP tool calls, or `execute` calls). */
  toolCalls: number;
  /** API operations actually invoked (equal to toolCalls on the tool-calling path). */
  apiCalls: number;
  wallMs: number;
}

const MAX_TURNS = 1000;

const BASELINE_SYSTEM =
  'You are an agent with tools. Call one tool at a time; you will see its result. When the task is done, answer with JSON only.';

const ATP_SYSTEM =
  'You are an agent that writes code. Call execute_code with JavaScript that uses the `api` and `atp` objects declared below; the value the code returns is shown to you. When the task is done, answer with JSON only.';

function parseAnswer(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function agentLoop(
  model: MeteredModel,
  system: string,
  task: string,
  tools: readonly ToolSpec[],
  runTool: (call: ToolCall) => Promise<string>,
): Promise<{ answer: unknown; toolCalls: number }> {
  const messages: Message[] = [
    { role: 'system', content: system },
    { role: 'user', content: task },
  ];
  for (let turn = 0, toolCalls = 0; turn < MAX_TURNS; turn++) {
    const step = await model.next(messages, tools);
    if (step.toolCall === undefined) return { answer: parseAnswer(step.text), toolCalls };
    messages.push({ role: 'assistant', content: '', toolCall: step.toolCall });
    toolCalls++;
    let content: string;
    try {
      content = await runTool(step.toolCall);
    } catch (error) {
      content = `Error: ${error instanceof Error ? error.message : String(error)}`;
    }
    messages.push({ role: 'tool', toolName: step.toolCall.name, content });
  }
  throw new Error(`The agent did not finish within ${MAX_TURNS} turns.`);
}

/** The tool-calling baseline over an MCP server's tools (connected through MCPConnector). */
export async function runToolCalling(
  model: MeteredModel,
  task: string,
  mcpGroup: APIGroup,
): Promise<PathResult> {
  const tools: ToolSpec[] = mcpGroup.functions.map((fn) => ({
    name: fn.name,
    description: fn.description ?? '',
    inputSchema: (fn.inputSchema ?? { type: 'object' }) as Record<string, unknown>,
  }));
  const started = performance.now();
  const { answer, toolCalls } = await agentLoop(model, BASELINE_SYSTEM, task, tools, async (call) => {
    const fn = mcpGroup.functions.find((candidate) => candidate.name === call.name);
    if (!fn) throw new Error(`Unknown tool ${call.name}`);
    const result = await fn.handler(call.arguments, { clientId: 'baseline', executionId: 'baseline' });
    return typeof result === 'string' ? result : JSON.stringify(result);
  });
  return { answer, toolCalls, apiCalls: toolCalls, wallMs: performance.now() - started };
}

/** The ATP path: the model sees the group's TypeScript declarations and calls `execute`. */
export async function runAtp(
  model: MeteredModel,
  task: string,
  client: AgentToolProtocolClient,
  group: string,
) {
  const started = performance.now();
  const declarations = await client.getTypeDefinitions({ apiGroups: [group] });
  const runtime = await client.getRuntimeDefinitions({ apis: ['llm'] });
  const tools: ToolSpec[] = [
    {
      name: EXECUTE_TOOL,
      description: 'Runs JavaScript in the ATP sandbox and returns {status, result, error}.',
      inputSchema: { type: 'object', properties: { code: { type: 'string' } }, required: ['code'] },
    },
  ];
  let apiCalls = 0;
  const system = `${ATP_SYSTEM}\n\n${declarations}\n\n${runtime}`;
  const { answer, toolCalls } = await agentLoop(model, system, task, tools, async (call) => {
    const result = await client.execute(String(call.arguments.code), { maxLLMCalls: 500, timeout: 300_000 });
    apiCalls += result.stats.toolCallsCount ?? 0;
    return JSON.stringify({ status: result.status, result: result.result, error: result.error });
  });
  return { answer, toolCalls, apiCalls, wallMs: performance.now() - started } satisfies PathResult;
}
