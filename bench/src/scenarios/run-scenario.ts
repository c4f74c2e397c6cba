// Runs one scenario both ways against the same deterministic data: the local OpenAPI backend behind
// an ATP server, and the same operations as an MCP server (a child process) for tool calling.
import { fileURLToPath } from 'node:url';
import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { MCPConnector } from '@agent-tool-protocol/mcp-adapter';
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import { createServer } from '@agent-tool-protocol/server';
import { type PathResult, runAtp, runToolCalling } from './agent-loops.ts';
import { serveBackend } from './backend.ts';
import { MeteredModel, type ModelUsage } from './metered-model.ts';
import { ScriptedModel } from './scripted-model.ts';
import type { ChatModel, Scenario, ScenarioSize } from './types.ts';

export interface ScenarioRunOptions {
  size: ScenarioSize;
  /** Latency added to every model call, in ms (300 in the report, 0 in the smoke test). */
  latencyMs: number;
  /** A real model; default the scripted one. */
  model?: ChatModel;
}

export interface MeasuredPath extends PathResult {
  usage: ModelUsage;
}

export interface ScenarioResult {
  scenario: Scenario;
  atp: MeasuredPath;
  baseline: MeasuredPath;
}

const MCP_SERVER_SCRIPT = fileURLToPath(new URL('./mcp-server.ts', import.meta.url));

export async function runScenario(scenario: Scenario, options: ScenarioRunOptions): Promise<ScenarioResult> {
  const modelFor = () => new MeteredModel(options.model ?? new ScriptedModel(scenario), options.latencyMs);
  const backend = scenario.createBackend(options.size);
  const served = await serveBackend(backend);
  const server = createServer({
    auth: { jwtSecret: 'scenario-bench-secret-0123456789' },
    execution: { llmCalls: 500, maxToolCalls: 5000, timeout: 300_000, isolatePoolSize: 1 },
    logger: { level: 'silent' },
  });
  const connector = new MCPConnector({});
  try {
    server.addAPIGroup(
      await loadOpenAPI({ name: scenario.group, spec: backend.spec, baseUrl: served.url, retry: false }),
    );
    await server.listen(0);
    const mcpGroup = await connector.connectToMCPServer({
      name: scenario.group,
      command: process.execPath,
      args: ['--no-warnings', MCP_SERVER_SCRIPT, scenario.id, options.size],
    });

    const baselineModel = modelFor();
    const baseline = await runToolCalling(baselineModel, scenario.task, mcpGroup);

    const atpModel = modelFor();
    const baseUrl = server.url;
    if (baseUrl === undefined) throw new Error('The ATP server is not listening.');
    const client = new AgentToolProtocolClient({ baseUrl }).provideLLM({
      call: (prompt) => atpModel.complete(prompt),
    });
    await client.init({ name: 'scenario-bench' });
    const atp = await runAtp(atpModel, scenario.task, client, scenario.group);
    return {
      scenario,
      atp: { ...atp, usage: atpModel.usage },
      baseline: { ...baseline, usage: baselineModel.usage },
    };
  } finally {
    await connector.close();
    await server.shutdown(1000);
    await served.close();
  }
}
