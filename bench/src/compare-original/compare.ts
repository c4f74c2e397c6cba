// Side by side: two ATP servers, each in its own process, measured over HTTP from a third process
// (client.ts) in the same run. Used with the published ATP 0.19 server as the baseline and ours.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchScale } from '../measure.ts';
import { percentile } from '../measure.ts';
import { ORIGINAL_VERSION, type OriginalInstall } from './install.ts';
import { type ClientJob, type ClientSamples, measures } from './measures.ts';

export interface ServerLaunch {
  /** What runs, for the report (e.g. "ATP 0.19.17 server on Node v20.20.2"). */
  description: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

export interface RunningServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export interface Stats {
  p50: number;
  p99: number;
  samples: number;
}

export interface MeasureResult {
  id: string;
  label: string;
  baseline: Stats;
  ours: Stats;
  /** baseline p50 ÷ ours p50: how many times faster ours is (below 1: slower). */
  ratio: number;
  /**
   * The measure against the floor server (`floor-server.ts`, which answers the measure's known result
   * without running anything, after the tool's wait where there is one): what the client, the loopback
   * and the timer cost without any server work, measured in the same rounds. Absent for measures the
   * floor server cannot answer (the callbacks).
   */
  floor?: Stats;
}

export interface Comparison {
  baseline: ServerLaunch;
  ours: ServerLaunch;
  job: ClientJob;
  measures: MeasureResult[];
}

const script = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

export function originalLaunch(install: OriginalInstall): ServerLaunch {
  return {
    description: `ATP ${ORIGINAL_VERSION} server (\`@mondaydotcomorg/atp-server\`) on Node ${install.node.version}`,
    command: install.node.path,
    args: [script('original-server.mjs'), install.dir],
    env: { NODE_ENV: 'production' },
  };
}

export function ourLaunch(): ServerLaunch {
  return {
    description: `our server (\`@agent-tool-protocol/server\`) on Node ${process.version}`,
    command: process.execPath,
    args: ['--no-node-snapshot', '--no-warnings', script('our-server.ts')],
    env: { NODE_ENV: 'production' },
  };
}

/** The floor server, on this Node. */
export function floorLaunch(): ServerLaunch {
  return {
    description: "a bare node:http server that answers each measure's known result without running it",
    command: process.execPath,
    args: ['--no-warnings', script('floor-server.ts')],
  };
}

/** Measures the floor server is measured on: those it has an answer for. */
const FLOOR_MEASURES = measures(1)
  .filter((measure) => measure.floorResult !== undefined)
  .map((measure) => measure.id);

/** Starts a server process and waits for the `{"url": …}` line it prints once listening. */
export function startServerProcess(launch: ServerLaunch, timeoutMs = 60_000): Promise<RunningServer> {
  const child = spawn(launch.command, launch.args, {
    env: { ...process.env, ...launch.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${launch.description}: ${reason}\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`not listening after ${timeoutMs} ms`), timeoutMs);
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('{"url"'));
      if (!line) return;
      clearTimeout(timer);
      resolve({ url: (JSON.parse(line) as { url: string }).url, pid: child.pid!, stop });
    });
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code) => fail(`exited with ${code} before listening`));
  });
}

/** Runs the measuring client in its own process and returns its samples. */
export function runClientProcess(job: ClientJob): Promise<ClientSamples> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-warnings', script('client.ts'), JSON.stringify(job)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-4000);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = stdout.trim().split('\n').at(-1);
      if (code === 0 && last) resolve(JSON.parse(last) as ClientSamples);
      else reject(new Error(`The measuring client exited with ${code}:\n${stderr}`));
    });
  });
}

export function jobFor(
  scale: BenchScale,
  urls: { baseline: string; ours: string; floor?: string },
): ClientJob {
  const full = scale === 'full';
  return {
    targets: [
      { name: 'baseline', url: urls.baseline },
      { name: 'ours', url: urls.ours },
      ...(urls.floor === undefined ? [] : [{ name: 'floor', url: urls.floor, measures: FLOOR_MEASURES }]),
    ],
    rounds: full ? 10 : 2,
    perRound: full ? 30 : 2,
    perRoundConcurrent: full ? 2 : 1,
    warmup: full ? 20 : 1,
    warmupConcurrent: full ? 2 : 1,
    concurrency: full ? 50 : 10,
  };
}

function stats(samples: number[] | undefined): Stats {
  if (!samples || samples.length === 0) throw new Error('A measure has no samples.');
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), samples: samples.length };
}

/** Starts both servers, measures them from one client process in alternating rounds, stops them. */
export async function compareServers(
  baseline: ServerLaunch,
  ours: ServerLaunch,
  scale: BenchScale,
): Promise<Comparison> {
  const baselineServer = await startServerProcess(baseline);
  try {
    const ourServer = await startServerProcess(ours);
    try {
      const floorServer = await startServerProcess(floorLaunch());
      try {
        const job = jobFor(scale, {
          baseline: baselineServer.url,
          ours: ourServer.url,
          floor: floorServer.url,
        });
        const samples = await runClientProcess(job);
        return {
          baseline,
          ours,
          job,
          measures: measures(job.concurrency).map(({ id, label }) => {
            const b = stats(samples.baseline?.[id]);
            const o = stats(samples.ours?.[id]);
            const floor = FLOOR_MEASURES.includes(id) ? { floor: stats(samples.floor?.[id]) } : {};
            return { id, label, baseline: b, ours: o, ratio: b.p50 / o.p50, ...floor };
          }),
        };
      } finally {
        await floorServer.stop();
      }
    } finally {
      await ourServer.stop();
    }
  } finally {
    await baselineServer.stop();
  }
}
