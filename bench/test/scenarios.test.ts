import { canonicalJson } from '@agent-tool-protocol/protocol';
import { toolsOf } from '../src/scenarios/backend.ts';
import { SCENARIOS, scenarioById } from '../src/scenarios/registry.ts';
import { comparisonTable, runScenarios } from '../src/scenarios/report.ts';
import type { ScenarioResult } from '../src/scenarios/run-scenario.ts';
import { exchangesFrom } from '../src/scenarios/scripted-model.ts';
import { scenariosSuite } from '../src/suites/scenarios.ts';

// The five scenarios at smoke size with no model latency: real HTTP backends, a real ATP server, the
// same APIs as MCP servers (child processes) for tool calling. No timing assertions.
describe('scenarios: ATP vs tool calling', () => {
  let results: ScenarioResult[];

  beforeAll(async () => {
    results = await runScenarios({ size: 'smoke', latencyMs: 0 });
  }, 120_000);

  it('runs all five scenarios', () => {
    expect(results.map((r) => r.scenario.id)).toEqual([
      'email',
      'articles',
      'customers',
      'weekly',
      'pr-review',
    ]);
  });

  it.each(SCENARIOS.map((s) => s.id))('%s: both paths give the same answer from the same API work', (id) => {
    const { atp, baseline } = results.find((r) => r.scenario.id === id)!;
    expect(atp.answer).toEqual(baseline.answer);
    expect(typeof atp.answer).toBe('object');
    expect(canonicalJson(atp.answer)).not.toContain('"executionFailed"');
    expect(atp.apiCalls).toBe(baseline.apiCalls);
    expect(baseline.toolCalls).toBe(baseline.apiCalls);
  });

  it.each(SCENARIOS.map((s) => s.id))('%s: the counts are sensible', (id) => {
    const { atp, baseline } = results.find((r) => r.scenario.id === id)!;
    expect(atp.toolCalls).toBe(1);
    expect(atp.toolCalls).toBeLessThan(baseline.usage.llmCalls);
    expect(baseline.usage.llmCalls).toBe(baseline.toolCalls + 1);
    expect(baseline.usage.sandboxCalls).toBe(0);
    expect(atp.usage.agentTurns).toBe(2);
    expect(atp.usage.llmCalls).toBe(atp.usage.agentTurns + atp.usage.sandboxCalls);
    expect(atp.usage.llmCalls).toBeLessThanOrEqual(baseline.usage.llmCalls);
    expect(atp.usage.inputTokens).toBeLessThan(baseline.usage.inputTokens);
    expect(atp.usage.peakInputTokens).toBeLessThan(baseline.usage.peakInputTokens);
    expect(baseline.usage.inputTokens).toBeGreaterThan(baseline.usage.peakInputTokens);
    // Every baseline request is the previous one plus what came after: read from the cache or written to it.
    expect(baseline.usage.cacheReadTokens + baseline.usage.cacheWriteTokens).toBe(baseline.usage.inputTokens);
    expect(baseline.usage.cacheReadTokens).toBeGreaterThan(0);
  });

  it('renders the comparison table', () => {
    const table = comparisonTable(results);
    expect(table).toContain('| **GitHub PR review** | tool calls | 4 | 1 | 4.0× |');
    expect(table.match(/\| answers equal \| \| \| yes \|/g)).toHaveLength(5);
  });
});

describe('scenario building blocks', () => {
  it('derives MCP tools with the OpenAPI inputs (parameters by name, body)', () => {
    const backend = scenarioById('pr-review').createBackend('smoke');
    const review = toolsOf(backend.spec).find((tool) => tool.name === 'pulls_createReview')!;
    expect(review.inputSchema).toMatchObject({
      required: ['owner', 'repo', 'pull_number', 'body'],
      properties: { pull_number: { type: 'integer' }, body: { required: ['event', 'body'] } },
    });
  });

  it('pairs tool calls with their results from the context only', () => {
    const exchanges = exchangesFrom([
      { role: 'user', content: 'task' },
      { role: 'assistant', content: '', toolCall: { name: 'messages_list', arguments: { page: 1 } } },
      { role: 'tool', toolName: 'messages_list', content: '{"nextPage":null}' },
      { role: 'assistant', content: '', toolCall: { name: 'broken', arguments: {} } },
      { role: 'tool', toolName: 'broken', content: 'Error: boom' },
    ]);
    expect(exchanges).toEqual([
      { name: 'messages_list', args: { page: 1 }, result: { nextPage: null } },
      { name: 'broken', args: {}, result: 'Error: boom' },
    ]);
  });

  it('compares answers by content, not key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 1, e: 2 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { e: 2, f: 1 }] }, b: 1 }),
    );
  });
});

describe('scenarios bench suite', () => {
  it('reports one row per scenario', async () => {
    process.env.ATP_SCENARIOS_ONLY = 'pr-review';
    const rows = await scenariosSuite.run('smoke').finally(() => {
      delete process.env.ATP_SCENARIOS_ONLY;
    });
    expect(rows.map((row) => row.name)).toEqual(['scenario: GitHub PR review, context tokens (ATP)']);
    for (const row of rows) {
      expect(row.p50).toBeGreaterThan(0);
      expect(row.note).toContain('answers equal');
    }
  }, 120_000);
});
