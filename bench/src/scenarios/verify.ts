// The checks of a scenario run, each of which a wrong run fails: every path's answer and side effects
// against the ones computed from the generated data, the requests each backend actually received
// against the expected count and against the calls the path claims, and the same counts in every run.
import { canonicalJson } from '@agent-tool-protocol/protocol';
import { PATHS, type PathName, type ScenarioResult } from './run-scenario.ts';

export interface Check {
  scenario: string;
  latencyMs: number;
  path: PathName;
  name: 'answer' | 'side effects' | 'requests received' | 'calls claimed' | 'same in every run';
  ok: boolean;
  /** What differed (empty when ok). */
  detail: string;
}

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
const total = (requests: Record<string, number>) => Object.values(requests).reduce((sum, n) => sum + n, 0);
const short = (value: unknown) => {
  const text = canonicalJson(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

export function checksOf(result: ScenarioResult): Check[] {
  const checks: Check[] = [];
  const { expected } = result;
  const first = result.runs[0];
  for (const run of result.runs) {
    for (const path of PATHS) {
      const measured = run.paths[path];
      const check = (name: Check['name'], ok: boolean, detail: () => string) =>
        checks.push({
          scenario: result.scenario.id,
          latencyMs: run.latencyMs,
          path,
          name,
          ok,
          detail: ok ? '' : detail(),
        });
      check(
        'answer',
        same(measured.answer, expected.answer),
        () => `got ${short(measured.answer)}, expected ${short(expected.answer)}`,
      );
      check(
        'side effects',
        same(measured.effects, expected.effects),
        () => `got ${short(measured.effects)}, expected ${short(expected.effects)}`,
      );
      check(
        'requests received',
        same(measured.requests, expected.requests),
        () => `got ${short(measured.requests)}, expected ${short(expected.requests)}`,
      );
      // Tool calling: one MCP request per tool call. ATP: the API calls the executions report.
      const claimed = path === 'atp' ? (measured.reportedApiCalls ?? -1) : measured.toolCalls;
      check(
        'calls claimed',
        claimed === total(measured.requests),
        () => `the path claims ${claimed} calls, its backend received ${total(measured.requests)}`,
      );
      if (first && run !== first) {
        const a = first.paths[path];
        const counts = (m: typeof a) => [
          m.toolCalls,
          m.usage.llmCalls,
          m.usage.inputTokens,
          m.usage.outputTokens,
          m.usage.cacheReadTokens,
        ];
        check(
          'same in every run',
          same(counts(a), counts(measured)),
          () =>
            `calls/tokens ${short(counts(measured))} at ${run.latencyMs} ms, ${short(counts(a))} at ${first.latencyMs} ms`,
        );
      }
    }
  }
  return checks;
}

/** Throws one error naming every failed check. */
export function assertChecks(checks: readonly Check[]): void {
  const failed = checks.filter((check) => !check.ok);
  if (failed.length === 0) return;
  throw new Error(
    `${failed.length} scenario check(s) failed:\n${failed
      .map((c) => `- ${c.scenario}, ${c.path}, ${c.latencyMs} ms/call: ${c.name}: ${c.detail}`)
      .join('\n')}`,
  );
}
