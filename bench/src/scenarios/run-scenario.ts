// Runs one scenario three ways against the same deterministic data — tool calling one call per turn
// (serial), tool calling with parallel tool calls, and ATP — once per model latency. Every path gets a
// fresh backend: ATP a local OpenAPI backend behind an ATP server, tool calling the same operations as
// an MCP server (a child process). Each backend counts the requests it receives and reports its side
// effects, so the paths are checked against what the backends saw, not against what the loops say.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { MCPConnector } from '@agent-tool-protocol/mcp-adapter';
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import { createServer } from '@agent-tool-protocol/server';
import { type PathResult, runAtp, runToolCalling } from './agent-loops.ts';
import { serveBackend } from './backend.ts';
import { MeteredModel, type ModelUsage } from './metered-model.ts';
import { ScriptedModel } from './scripted-model.ts';
import type { ChatModel, Expected, Scenario, ScenarioSize } from './types.ts';

/** A model latency to run at, and how many times (wall times are reported as the median of the runs). */
export interface LatencyPlan {
  latencyMs: number;
  runs: number;
}

export interface ScenarioRunOptions {
  size: ScenarioSize;
  latencies: readonly LatencyPlan[];
  /** Shortest prefix the provider caches (tokens). */
  minCacheableTokens: number;
  /** A real model; default the scripted one. */
  model?: ChatModel;
}

/** One path's run: what the agent loop saw, what the model was sent, and what the backend received. */
export interface MeasuredPath extends PathResult {
  usage: ModelUsage;
  /** Requests the path's backend received, per operationId. */
  requests: Record<string, number>;
  /** The path's backend's side effects at the end. */
  effects: unknown;
}

export const PATHS = ['serial', 'parallel', 'atp'] as const;
export type PathName = (typeof PATHS)[number];

export interface LatencyRun {
  latencyMs: number;
  paths: Record<PathName, MeasuredPath>;
}

export interface ScenarioResult {
  scenario: Scenario;
  expected: Expected;
  /** One per run of each latency, in the order asked for. */
  runs: LatencyRun[];
}

const MCP_SERVER_SCRIPT = fileURLToPath(new URL('./mcp-server.ts', import.meta.url));

async function runToolCallingPath(
  scenario: Scenario,
  options: ScenarioRunOptions,
  model: MeteredModel,
  parallelToolCalls: boolean,
  statsFile: string,
): Promise<MeasuredPath> {
  const connector = new MCPConnector({});
  try {
    const mcpGroup = await connector.connectToMCPServer({
      name: scenario.group,
      command: process.execPath,
      args: ['--no-warnings', MCP_SERVER_SCRIPT, scenario.id, options.size, statsFile],
    });
    const result = await runToolCalling(model, scenario.task, mcpGroup, parallelToolCalls);
    const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as {
      requests: Record<string, number>;
      effects: unknown;
    };
    return { ...result, usage: model.usage, requests: stats.requests, effects: stats.effects };
  } finally {
    await connector.close();
  }
}

async function runAtpPath(
  scenario: Scenario,
  options: ScenarioRunOptions,
  model: MeteredModel,
): Promise<MeasuredPath> {
  const backend = scenario.createBackend(options.size);
  const served = await serveBackend(backend);
  const server = createServer({
    auth: { jwtSecret: 'scenario-bench-secret-0123456789' },
    execution: { llmCalls: 500, maxToolCalls: 5000, timeout: 300_000, isolatePoolSize: 1 },
    logger: { level: 'silent' },
  });
  try {
    server.addAPIGroup(
      await loadOpenAPI({ name: scenario.group, spec: backend.spec, baseUrl: served.url, retry: false }),
    );
    await server.listen(0);
    const baseUrl = server.url;
    if (baseUrl === undefined) throw new Error('The ATP server is not listening.');
    const client = new AgentToolProtocolClient({ baseUrl }).provideLLM({
      call: (prompt) => model.complete(prompt),
    });
    await client.init({ name: 'scenario-bench' });
    const result = await runAtp(model, scenario.task, client, scenario.group);
    return { ...result, usage: model.usage, requests: served.requests(), effects: backend.effects() };
  } finally {
    await server.shutdown(1000);
    await served.close();
  }
}

export async function runScenario(scenario: Scenario, options: ScenarioRunOptions): Promise<ScenarioResult> {
  const expected = scenario.createBackend(options.size).expected;
  const statsDir = mkdtempSync(join(tmpdir(), 'atp-scenario-'));
  try {
    const runs: LatencyRun[] = [];
    for (const { latencyMs, runs: count } of options.latencies) {
      for (let repeat = 0; repeat < count; repeat++) {
        const modelFor = () =>
          new MeteredModel(options.model ?? new ScriptedModel(scenario), {
            latencyMs,
            minCacheableTokens: options.minCacheableTokens,
          });
        const serial = await runToolCallingPath(
          scenario,
          options,
          modelFor(),
          false,
          join(statsDir, `${latencyMs}-${repeat}-serial.json`),
        );
        const parallel = await runToolCallingPath(
          scenario,
          options,
          modelFor(),
          true,
          join(statsDir, `${latencyMs}-${repeat}-parallel.json`),
        );
        const atp = await runAtpPath(scenario, options, modelFor());
        runs.push({ latencyMs, paths: { serial, parallel, atp } });
      }
    }
    return { scenario, expected, runs };
  } finally {
    rmSync(statsDir, { recursive: true, force: true });
  }
}
