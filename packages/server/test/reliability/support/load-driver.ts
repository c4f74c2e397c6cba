// A bounded load driver for an ATP server over plain HTTP (fetch only), shared by the CI load test
// and scripts/soak.ts. Every loop is bounded by a deadline and an execution count, every request
// by a timeout; traffic goes only to the URL given (a loopback server).

export type Scenario = 'trivial' | 'api' | 'pause';

export interface LoadOptions {
  url: string;
  /** Concurrent virtual clients, each with its own init/token. */
  clients: number;
  /** Stop starting new executions after this long. */
  durationMs: number;
  /** Stop after this many executions in total (whichever comes first). */
  maxExecutions: number;
  /** Per-request timeout: a request that takes longer counts as a hang (an unexpected error). */
  requestTimeoutMs?: number;
  scenarios?: readonly Scenario[];
}

export interface LoadReport {
  executions: number;
  byScenario: Record<Scenario, number>;
  /** 429 answers (all carried Retry-After, or they would be unexpected errors). */
  rateLimited: number;
  /** Unexpected errors: a wrong answer, a 5xx, a 429 without Retry-After, a hang past the timeout. */
  unexpectedCount: number;
  /** The first 50 of them. */
  unexpected: string[];
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  throughputPerSecond: number;
  wallMs: number;
}

const CODE: Record<Scenario, string> = {
  trivial: 'return 6 * 7;',
  api: 'const open = await api.tickets.list({ status: "open" }); return open.length;',
  pause: 'const answer = await atp.llm.call("ping"); return answer + "!";',
};
const EXPECTED: Record<Scenario, unknown> = { trivial: 42, api: 20, pause: 'pong!' };

interface Reply {
  status: number;
  retryAfter: string | null;
  json: Record<string, unknown> | undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const scenarios = options.scenarios ?? (['trivial', 'api', 'pause'] as const);
  const unexpected: string[] = [];
  const latencies: number[] = [];
  const byScenario: Record<Scenario, number> = { trivial: 0, api: 0, pause: 0 };
  let started = 0;
  let rateLimited = 0;
  let unexpectedCount = 0;
  const begin = Date.now();
  const deadline = begin + options.durationMs;

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const response = await fetch(`${options.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    return { status: response.status, retryAfter: response.headers.get('retry-after'), json };
  };

  /** Retries 429s (bounded by the deadline); returns undefined when the deadline passed. */
  const send = async (path: string, body: unknown, headers: Record<string, string>) => {
    for (;;) {
      const reply = await post(path, body, headers);
      if (reply.status !== 429) return reply;
      rateLimited++;
      if (!reply.retryAfter) throw new Error(`429 without Retry-After on ${path}`);
      if (Date.now() > deadline + timeoutMs) throw new Error(`still 429 after the deadline on ${path}`);
      // A polite client: waits about Retry-After (with jitter so retries do not arrive in lockstep).
      await sleep(Number(reply.retryAfter) * 1000 * (0.5 + Math.random() / 2));
    }
  };

  const runOne = async (scenario: Scenario, headers: Record<string, string>) => {
    const t0 = performance.now();
    let reply = await send('/api/execute', { code: CODE[scenario] }, headers);
    if (scenario === 'pause') {
      const callbacks = (reply.json?.needsCallbacks ?? [reply.json?.needsCallback].filter(Boolean)) as
        | { id: string }[]
        | undefined;
      if (reply.status !== 200 || reply.json?.status !== 'paused' || !callbacks?.[0]) {
        throw new Error(
          `pause: expected a paused execution, got ${reply.status} ${JSON.stringify(reply.json)}`,
        );
      }
      const id = String(reply.json.executionId);
      reply = await send(
        `/api/resume/${id}`,
        { results: [{ id: callbacks[0].id, result: 'pong' }] },
        headers,
      );
    }
    if (
      reply.status !== 200 ||
      reply.json?.status !== 'completed' ||
      reply.json.result !== EXPECTED[scenario]
    ) {
      throw new Error(`${scenario}: ${reply.status} ${JSON.stringify(reply.json).slice(0, 300)}`);
    }
    latencies.push(performance.now() - t0);
    byScenario[scenario]++;
  };

  const client = async (index: number) => {
    const init = await send(
      '/api/init',
      { clientInfo: { name: `load-${index}` }, services: { hasLLM: true } },
      {},
    );
    const token = init.json?.token;
    const clientId = init.json?.clientId;
    if (init.status !== 200 || typeof token !== 'string' || typeof clientId !== 'string') {
      throw new Error(`init: ${init.status} ${JSON.stringify(init.json)}`);
    }
    const headers = { authorization: `Bearer ${token}`, 'x-client-id': clientId };
    let turn = index;
    while (Date.now() < deadline && started < options.maxExecutions) {
      started++;
      const scenario = scenarios[turn++ % scenarios.length] as Scenario;
      try {
        await runOne(scenario, headers);
      } catch (error) {
        unexpectedCount++;
        if (unexpected.length < 50) unexpected.push(String((error as Error).message ?? error));
      }
    }
  };

  await Promise.all(
    Array.from({ length: options.clients }, (_, index) =>
      client(index).catch((error: unknown) => {
        unexpectedCount++;
        unexpected.push(`client ${index}: ${String((error as Error).message ?? error)}`);
      }),
    ),
  );
  const wallMs = Date.now() - begin;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    executions: latencies.length,
    byScenario,
    rateLimited,
    unexpectedCount,
    unexpected,
    p50Ms: Math.round(percentile(sorted, 50)),
    p99Ms: Math.round(percentile(sorted, 99)),
    maxMs: Math.round(sorted.at(-1) ?? 0),
    throughputPerSecond: Math.round((latencies.length / Math.max(1, wallMs)) * 1000 * 10) / 10,
    wallMs,
  };
}
