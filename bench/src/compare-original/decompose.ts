// `pnpm --filter @agent-tool-protocol/bench decompose-server [--rounds=N] [--per-round=N]` (after
// `pnpm build`): where a side-by-side row's time goes. Measures, with the published ATP 0.19 client in
// alternating rounds as the side-by-side benchmark does, the floor server (client and loopback only),
// our server with a canned executor (no-sandbox-server.ts: + our HTTP stack and engine) and our real
// server (+ the sandbox), and prints the p50 of each and the differences. Only prints; writes no docs.
import { fileURLToPath } from 'node:url';
import { percentile } from '../measure.ts';
import {
  floorLaunch,
  ourLaunch,
  runClientProcess,
  type ServerLaunch,
  startServerProcess,
} from './compare.ts';
import { measures } from './measures.ts';

function option(name: string, fallback: number): number {
  const text = process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer, got "${text}"`);
  return value;
}

const noSandboxLaunch: ServerLaunch = {
  description: 'our server with a canned executor',
  command: process.execPath,
  args: [
    '--no-node-snapshot',
    '--no-warnings',
    fileURLToPath(new URL('./no-sandbox-server.ts', import.meta.url)),
  ],
  env: { NODE_ENV: 'production' },
};

const ids = measures(1)
  .filter((measure) => measure.floorResult !== undefined && !measure.concurrency)
  .map((measure) => measure.id);
const launches = { floor: floorLaunch(), noSandbox: noSandboxLaunch, ours: ourLaunch() };
const servers = await Promise.all(
  Object.entries(launches).map(async ([name, launch]) => ({ name, ...(await startServerProcess(launch)) })),
);
try {
  const samples = await runClientProcess({
    targets: servers.map((server) => ({ name: server.name, url: server.url, measures: ids })),
    rounds: option('rounds', 6),
    perRound: option('per-round', 30),
    perRoundConcurrent: 1,
    warmup: 20,
    warmupConcurrent: 1,
    concurrency: 1,
  });
  const p50 = (name: string, id: string) => percentile(samples[name]?.[id] ?? [], 50);
  const lines = [
    '| measure (p50, ms) | floor | + our HTTP stack and engine | + sandbox (ours) | HTTP stack and engine | sandbox |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const measure of measures(1).filter((candidate) => ids.includes(candidate.id))) {
    const [floor, noSandbox, ours] = ['floor', 'noSandbox', 'ours'].map((name) => p50(name, measure.id)) as [
      number,
      number,
      number,
    ];
    lines.push(
      `| ${measure.label} | ${floor.toFixed(2)} | ${noSandbox.toFixed(2)} | ${ours.toFixed(2)} | ${(noSandbox - floor).toFixed(2)} | ${(ours - noSandbox).toFixed(2)} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await Promise.all(servers.map((server) => server.stop()));
}
