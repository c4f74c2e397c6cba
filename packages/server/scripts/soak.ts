// The long reliability profile (`pnpm test:soak`; needs `pnpm build` first). Against a real server
// in a child process: 200 concurrent clients, 10,000 mixed executions (trivial, API call, pause +
// resume), p50/p99/throughput, memory back to baseline, 429s with Retry-After under overload,
// SIGTERM during load; then the CI reliability suite with 10x the fuzzing cases.
// Bounded: every phase has a deadline and a count; traffic only to 127.0.0.1.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runLoad } from '../test/reliability/support/load-driver.ts';

const here = import.meta.dirname;
const packageDir = join(here, '..');
const root = join(packageDir, '..', '..');
const out = (line: string) => process.stdout.write(`${line}\n`);
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  out(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 200);
const EXECUTIONS = Number(process.env.SOAK_EXECUTIONS ?? 10_000);
const DURATION_MS = Number(process.env.SOAK_DURATION_MS ?? 300_000);

interface Stats {
  heapUsed: number;
  rss: number;
  executor: { activeExecutions: number; hotPaused: number; pooledIsolates: number };
  running: number;
  paused: number;
}

async function startChild(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      '--no-node-snapshot',
      '--expose-gc',
      '--disable-warning=ExperimentalWarning',
      join(here, 'soak-server.ts'),
    ],
    { cwd: packageDir, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the soak server did not start within 30 s')), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /listening (\S+)/.exec(chunk.toString());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`the soak server exited with ${code}`)));
  });
  return { child, url };
}

async function stats(url: string): Promise<Stats> {
  return (await (await fetch(`${url}/soak-stats`)).json()) as Stats;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

async function loadPhase(): Promise<void> {
  const { child, url } = await startChild();
  try {
    await runLoad({ url, clients: 20, durationMs: 30_000, maxExecutions: 1_000 });
    const baseline = await stats(url);
    out(`baseline after warm-up: heap ${mb(baseline.heapUsed)}, rss ${mb(baseline.rss)}`);
    const report = await runLoad({
      url,
      clients: CLIENTS,
      durationMs: DURATION_MS,
      maxExecutions: EXECUTIONS,
    });
    out(`load: ${JSON.stringify({ ...report, unexpected: report.unexpected.slice(0, 5) })}`);
    check(report.unexpectedCount === 0, `zero unexpected errors (${report.unexpectedCount})`);
    check(report.executions >= Math.min(EXECUTIONS, 1), `${report.executions} executions completed`);
    out(
      `p50 ${report.p50Ms} ms, p99 ${report.p99Ms} ms, ${report.throughputPerSecond} executions/s, ${report.rateLimited} x 429 (all with Retry-After)`,
    );
    const after = await stats(url);
    out(
      `after: heap ${mb(after.heapUsed)}, rss ${mb(after.rss)}, executor ${JSON.stringify(after.executor)}`,
    );
    check(
      after.executor.activeExecutions === 0 && after.executor.hotPaused === 0,
      'no isolate left running or parked',
    );
    check(after.running === 0 && after.paused === 0, 'no execution counted as running or paused');
    // Sessions (200) and per-client history (50 each) are kept on purpose; a per-execution leak
    // over 10,000 executions would be far larger.
    check(
      after.heapUsed - baseline.heapUsed < 96 * 1024 * 1024,
      `heap growth ${mb(after.heapUsed - baseline.heapUsed)} < 96 MB`,
    );
  } finally {
    child.kill('SIGKILL');
  }
}

async function sigtermPhase(): Promise<void> {
  const { child, url } = await startChild();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const init = (await (
    await fetch(`${url}/api/init`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"services":{"hasLLM":true}}',
    })
  ).json()) as { clientId: string; token: string };
  const headers = {
    'content-type': 'application/json',
    authorization: `Bearer ${init.token}`,
    'x-client-id': init.clientId,
  };
  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    })
      .then(async (response) => ({
        status: response.status,
        json: (await response.json()) as Record<string, unknown>,
      }))
      .catch((error: Error) => ({ status: 0, json: { error: error.message } as Record<string, unknown> }));
  const inFlight = Array.from({ length: 6 }, () =>
    post('/api/execute', { code: 'return (await api.tickets.wait({ ms: 1500 })).waited;' }),
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  child.kill('SIGTERM');
  const results = await Promise.all(inFlight);
  const code = await Promise.race([
    exited,
    new Promise((resolve) => setTimeout(() => resolve('hung'), 15_000)),
  ]);
  check(
    results.every((result) => result.status === 200 && result.json.result === 1500),
    'in-flight executions finished during SIGTERM',
  );
  check(code === 0, `the server drained and exited 0 after SIGTERM (${String(code)})`);
  if (code === 'hung') child.kill('SIGKILL');
}

function fuzzPhase(): void {
  const result = spawnSync(
    'npx',
    ['jest', '--selectProjects', 'packages/server', '--maxWorkers=1', 'packages/server/test/reliability'],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        ATP_FUZZ_RUNS: process.env.ATP_FUZZ_RUNS ?? '2000',
        NODE_OPTIONS: '--no-node-snapshot --disable-warning=ExperimentalWarning',
      },
      timeout: 30 * 60_000,
    },
  );
  check(result.status === 0, 'the reliability suite with 2,000 fuzz cases per property');
}

if (!existsSync(join(packageDir, 'dist', 'index.js'))) {
  out('Build first: pnpm build (the soak server runs the built package).');
  process.exit(2);
}
await loadPhase();
await sigtermPhase();
if (!process.argv.includes('--no-fuzz')) fuzzPhase();
out(failures.length === 0 ? 'soak: all checks held' : `soak: ${failures.length} check(s) failed`);
process.exit(failures.length === 0 ? 0 : 1);
