import { canonicalJson } from '@agent-tool-protocol/protocol';
import { toolsOf } from '../src/scenarios/backend.ts';
import { SCENARIOS, scenarioById } from '../src/scenarios/registry.ts';
import {
  comparisonTable,
  runScenarios,
  type ScenariosRun,
  summaryTable,
  verdict,
} from '../src/scenarios/report.ts';
import { PATHS, type ScenarioResult } from '../src/scenarios/run-scenario.ts';
import { exchangesFrom } from '../src/scenarios/scripted-model.ts';
import { assertChecks, checksOf } from '../src/scenarios/verify.ts';
import { scenariosSuite } from '../src/suites/scenarios.ts';

const IDS = SCENARIOS.map((s) => s.id);

// The five scenarios at smoke size, three paths each (serial tool calling, parallel tool calling, ATP),
// at two model latencies: real HTTP backends, a real ATP server, the same APIs as MCP servers (child
// processes). Expected answers, side effects and request counts come from the generated data, not from
// either path. No timing assertions.
describe('scenarios: ATP vs tool calling', () => {
  let run: ScenariosRun;
  const result = (id: string) => run.results.find((r) => r.scenario.id === id)!;

  beforeAll(async () => {
    run = await runScenarios({
      size: 'smoke',
      latencies: [
        { latencyMs: 0, runs: 1 },
        { latencyMs: 5, runs: 1 },
      ],
    });
  }, 240_000);

  it('runs all five scenarios, every path at every latency', () => {
    expect(run.results.map((r) => r.scenario.id)).toEqual([
      'email',
      'articles',
      'customers',
      'weekly',
      'pr-review',
    ]);
    for (const r of run.results) expect(r.runs.map((x) => x.latencyMs)).toEqual([0, 5]);
  });

  it.each(IDS)('%s: every path returns the answer computed from the data', (id) => {
    const { expected, runs } = result(id);
    expect(canonicalJson(expected.answer)).not.toBe('null');
    for (const { paths } of runs)
      for (const path of PATHS) expect(paths[path].answer).toEqual(expected.answer);
  });

  it.each(IDS)('%s: every path leaves the expected side effects on its own backend', (id) => {
    const { expected, runs } = result(id);
    for (const { paths } of runs)
      for (const path of PATHS) expect(paths[path].effects).toEqual(expected.effects);
  });

  it.each(IDS)('%s: each backend received the expected requests, as many as the path claims', (id) => {
    const { expected, runs } = result(id);
    const total = (requests: Record<string, number>) => Object.values(requests).reduce((a, b) => a + b, 0);
    for (const { paths } of runs) {
      for (const path of PATHS) expect(paths[path].requests).toEqual(expected.requests);
      expect(paths.serial.toolCalls).toBe(total(paths.serial.requests));
      expect(paths.parallel.toolCalls).toBe(total(paths.parallel.requests));
      expect(paths.atp.reportedApiCalls).toBe(total(paths.atp.requests));
      expect(paths.atp.toolCalls).toBe(1);
    }
  });

  it('parallel tool calling groups independent calls: fewer turns than serial wherever calls are independent', () => {
    const turns = (id: string) => {
      const { paths } = result(id).runs[0]!;
      return { serial: paths.serial.usage.agentTurns, parallel: paths.parallel.usage.agentTurns };
    };
    // One turn per call serially; in parallel the article fetches, the lookups, the updates, the four
    // weekly sources and the PR's files with the PR each share a turn.
    for (const id of ['articles', 'customers', 'weekly', 'pr-review']) {
      expect(turns(id).parallel).toBeLessThan(turns(id).serial);
    }
    // Email at smoke size: one list page and a single refund request, nothing to group.
    expect(turns('email')).toEqual({ serial: 3, parallel: 3 });
  });

  it('counts the same calls and tokens in every run', () => {
    const checks = run.results.flatMap(checksOf).filter((check) => check.name === 'same in every run');
    expect(checks).toHaveLength(IDS.length * PATHS.length);
    expect(checks.every((check) => check.ok)).toBe(true);
  });

  it('reads the repeated prefix of a growing conversation from the prompt cache', () => {
    const { serial } = result('customers').runs[0]!.paths;
    expect(serial.usage.cacheReadTokens).toBeGreaterThan(0);
    expect(serial.usage.cacheReadTokens).toBeLessThan(serial.usage.inputTokens);
  });

  it('fails loudly when a path answers differently, naming the scenario, path and check', () => {
    const { scenario, ...data } = result('pr-review');
    const tampered: ScenarioResult = { scenario, ...structuredClone(data) };
    (tampered.runs[0]!.paths.parallel.answer as { event: string }).event = 'APPROVE';
    tampered.runs[1]!.paths.atp.requests['pulls/get'] = 2;
    const checks = checksOf(tampered);
    expect(checks.filter((check) => !check.ok).map((c) => `${c.path} ${c.latencyMs} ${c.name}`)).toEqual([
      'parallel 0 answer',
      'atp 5 requests received',
      'atp 5 calls claimed',
    ]);
    expect(() => assertChecks(checks)).toThrow(
      /pr-review, parallel, 0 ms\/call: answer: got .*"event":"APPROVE"/,
    );
  });

  it('renders what was measured and checked, with parallel tool calling as the ratio baseline', () => {
    const table = comparisonTable(run);
    expect(table).toContain(
      '| scenario | metric | tool calling, one call per turn | tool calling, parallel calls | ATP | parallel ÷ ATP |',
    );
    expect(table).toContain('|  | tool calls the model made | 4 | 4 | 1 | 4.0× |');
    expect(table.match(/\| checks passed \| ✓ 9\/9 \| ✓ 9\/9 \| ✓ 9\/9 \|/g)).toHaveLength(5);
    expect(table.match(/wall time, 0 ms per model call/g)).toHaveLength(5);
    expect(table.match(/wall time, 5 ms per model call/g)).toHaveLength(5);
    const summary = summaryTable(run);
    expect(summary.split('\n')).toHaveLength(2 + IDS.length);
    expect(verdict(run)).toMatch(
      /^Against parallel tool calling, ATP sends fewer context tokens in \d of 5 scenarios/,
    );
    expect(verdict(run)).toMatch(/At 0 ms per model call ATP is faster in \d of 5 scenarios/);
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

  it('pairs each call of a turn with its result, in order, from the context only', () => {
    const exchanges = exchangesFrom([
      { role: 'user', content: 'task' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { name: 'messages_list', arguments: { page: 1 } },
          { name: 'broken', arguments: {} },
        ],
      },
      { role: 'tool', toolName: 'messages_list', content: '{"nextPage":null}' },
      { role: 'tool', toolName: 'broken', content: 'Error: boom' },
      { role: 'assistant', content: '', toolCalls: [{ name: 'messages_get', arguments: { id: 'm1' } }] },
      { role: 'tool', toolName: 'messages_get', content: '{"id":"m1"}' },
    ]);
    expect(exchanges).toEqual([
      { name: 'messages_list', args: { page: 1 }, result: { nextPage: null } },
      { name: 'broken', args: {}, result: 'Error: boom' },
      { name: 'messages_get', args: { id: 'm1' }, result: { id: 'm1' } },
    ]);
  });

  it('computes the expected email answer from the answer key, not from the judgement the paths use', () => {
    const { expected } = scenarioById('email').createBackend('full');
    const answer = expected.answer as { count: number; emails: Array<{ id: string }> };
    expect(answer.count).toBeGreaterThan(0);
    expect(answer.emails).toHaveLength(answer.count);
    expect(expected.effects).toEqual({ labelled: answer.emails.map((e) => e.id).sort() });
    expect(expected.requests).toEqual({ 'messages/addLabel': answer.count, 'messages/list': 4 });
  });
});

describe('scenarios bench suite', () => {
  it('reports one row per scenario against parallel tool calling', async () => {
    process.env.ATP_SCENARIOS_ONLY = 'pr-review';
    const rows = await scenariosSuite.run('smoke').finally(() => {
      delete process.env.ATP_SCENARIOS_ONLY;
    });
    expect(rows.map((row) => row.name)).toEqual(['scenario: GitHub PR review, context tokens (ATP)']);
    const [row] = rows;
    expect(row!.target).toBe('< parallel tool calling');
    expect(row!.met).toBe(true);
    expect(row!.note).toMatch(/parallel tool calling [\d,]+, serial [\d,]+/);
    expect(row!.note).toContain('answers, side effects and requests as expected on every path');
    // A filtered run is not the record: it writes no document sections.
    expect(scenariosSuite.documents?.()).toEqual([]);
  }, 120_000);
});
