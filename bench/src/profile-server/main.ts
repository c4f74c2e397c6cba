// `pnpm --filter @agent-tool-protocol/bench profile-server [--measure=trivial|oneCall|tenSequential]
// [--executions=N] [--idle=MS] [--top=N] [--keep]` (after `pnpm build`): runs our server as the side-by-side
// benchmark does, under `--cpu-prof`, drives it over HTTP from a separate client process, and prints
// where the server's main thread spent its time per execution: by package and by function.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ourLaunch, startServerProcess } from '../compare-original/compare.ts';
import { type CpuProfile, type Share, summariseProfile } from './cpu-profile.ts';
import type { DriverJob } from './driver.ts';

const option = (name: string, fallback: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;

const measure = option('measure', 'trivial');
const executions = Number(option('executions', '2000'));
const warmup = Math.min(200, executions);
const idleMs = Number(option('idle', '0'));
const top = Number(option('top', '25'));

const dir = mkdtempSync(join(tmpdir(), 'atp-server-profile-'));
const launch = ourLaunch();
const server = await startServerProcess({
  ...launch,
  args: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200', ...launch.args],
});
let driven: { p50: number; executions: number };
try {
  const job: DriverJob = { url: server.url, measure, warmup, executions, idleMs };
  driven = await runDriver(job);
} finally {
  await server.stop();
}
const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
if (!file) throw new Error(`The server wrote no CPU profile into ${dir}`);
const summary = summariseProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
if (process.argv.includes('--keep')) process.stdout.write(`Profile: ${join(dir, file)}\n`);
else rmSync(dir, { recursive: true, force: true });

const served = warmup + executions;
const perExecution = (ms: number) => `${((ms / served) * 1000).toFixed(0)} µs`;
const table = (rows: Share[]) =>
  rows
    .slice(0, top)
    .map((row) => `| ${row.name} | ${perExecution(row.ms)} | ${(row.share * 100).toFixed(1)}% |`)
    .join('\n');
process.stdout.write(
  [
    `Measure \`${measure}\`, ${executions} executions ${idleMs > 0 ? `${idleMs} ms apart` : 'back to back'} (+${warmup} warm-up); client p50 ${driven.p50.toFixed(2)} ms.`,
    `Server main thread busy ${perExecution(summary.busyMs)} per execution (module loading ${summary.startupMs.toFixed(0)} ms and idle time left out; profiling adds overhead).`,
    '',
    '| owner | per execution | share |',
    '|---|---|---|',
    table(summary.owners),
    '',
    '| function | per execution | share |',
    '|---|---|---|',
    table(summary.functions),
    '',
  ].join('\n'),
);

function runDriver(job: DriverJob): Promise<{ p50: number; executions: number }> {
  const script = fileURLToPath(new URL('./driver.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-warnings', script, JSON.stringify(job)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = stdout.trim().split('\n').at(-1);
      if (code === 0 && last) resolve(JSON.parse(last) as { p50: number; executions: number });
      else reject(new Error(`The profile's client exited with ${code}`));
    });
  });
}
