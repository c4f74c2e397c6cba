// The two ways an agent reaches the same answer. Tool calling: every tool result goes into the
// context and the model picks the next calls — one per turn (serial), or every independent call at once
// (parallel tool calling, run concurrently as current clients do). ATP: the model writes code once, the
// sandbox calls the APIs, and only the code's return value enters the context.
import type { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import type { APIGroup } from '@agent-tool-protocol/protocol';
import type { MeteredModel } from './metered-model.ts';
import { EXECUTE_TOOL } from './scripted-model.ts';
import type { Message, ToolCall, ToolSpec } from './types.ts';

export interface PathResult {
  /** The model's final text, JSON-parsed when it is JSON. */
  answer: unknown;
  /** Tool calls the model made (MCP tool calls, or `execute` calls), counted by the agent loop. */
  toolCalls: number;
  /** ATP only: the API calls the executions report (`stats.toolCallsCount`). */
  reportedApiCalls?: number;
  wallMs: number;
}

const MAX_TURNS = 1000;

const SERIAL_SYSTEM =
  'You are an agent with tools. Call one tool at a time; you will see its result. When the task is done, answer with JSON only.';

const PARALLEL_SYSTEM =
  'You are an agent with tools. When several tool calls do not depend on each other, make them together in one turn; you will see all their results. When the task is done, answer with JSON only.';

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
  parallelToolCalls: boolean,
  runTool: (call: ToolCall) => Promise<string>,
): Promise<{ answer: unknown; toolCalls: number }> {
  const messages: Message[] = [
    { role: 'system', content: system },
    { role: 'user', content: task },
  ];
  let toolCalls = 0;
  for (let turn = 0; turn < MAX_TURNS; turn++) {
    const step = await model.next(messages, tools, { parallelToolCalls });
    if (step.toolCalls === undefined) return { answer: parseAnswer(step.text), toolCalls };
    messages.push({ role: 'assistant', content: '', toolCalls: step.toolCalls });
    toolCalls += step.toolCalls.length;
    const results = await Promise.all(
      step.toolCalls.map(async (call) => {
        try {
          return await runTool(call);
        } catch (error) {
          return `Error: ${error instanceof Error ? error.message : String(error)}`;
        }
      }),
    );
    step.toolCalls.forEach((call, index) => {
      messages.push({ role: 'tool', toolName: call.name, content: results[index]! });
    });
  }
  throw new Error(`The agent did not finish within ${MAX_TURNS} turns.`);
}

/** The tool-calling baseline over an MCP server's tools (connected through MCPConnector). */
export async function runToolCalling(
  model: MeteredModel,
  task: string,
  mcpGroup: APIGroup,
  parallelToolCalls: boolean,
): Promise<PathResult> {
  const tools: ToolSpec[] = mcpGroup.functions.map((fn) => ({
    name: fn.name,
    description: fn.description ?? '',
    inputSchema: (fn.inputSchema ?? { type: 'object' }) as Record<string, unknown>,
  }));
  const system = parallelToolCalls ? PARALLEL_SYSTEM : SERIAL_SYSTEM;
  const started = performance.now();
  const { answer, toolCalls } = await agentLoop(
    model,
    system,
    task,
    tools,
    parallelToolCalls,
    async (call) => {
      const fn = mcpGroup.functions.find((candidate) => candidate.name === call.name);
      if (!fn) throw new Error(`Unknown tool ${call.name}`);
      const result = await fn.handler(call.arguments, { clientId: 'baseline', executionId: 'baseline' });
      return typeof result === 'string' ? result : JSON.stringify(result);
    },
  );
  return { answer, toolCalls, wallMs: performance.now() - started };
}

/** The ATP path: the model sees the group's TypeScript declarations and calls `execute`. */
export async function runAtp(
  model: MeteredModel,
  task: string,
  client: AgentToolProtocolClient,
  group: string,
): Promise<PathResult> {
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
  let reportedApiCalls = 0;
  const system = `${ATP_SYSTEM}\n\n${declarations}\n\n${runtime}`;
  const { answer, toolCalls } = await agentLoop(model, system, task, tools, false, async (call) => {
    const result = await client.execute(String(call.arguments.code), { maxLLMCalls: 500, timeout: 300_000 });
    reportedApiCalls += result.stats.toolCallsCount ?? 0;
    return JSON.stringify({ status: result.status, result: result.result, error: result.error });
  });
  return { answer, toolCalls, reportedApiCalls, wallMs: performance.now() - started };
}
