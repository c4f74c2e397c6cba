// The client of the server profile, in its own process: `node driver.ts '<job JSON>'`. Runs one measure
// of the side-by-side benchmark back to back (or with its idle pause) through the published ATP 0.19
// client, checking every result, and prints one JSON line: the p50 in ms and the executions measured.
import { AgentToolProtocolClient } from '@mondaydotcomorg/atp-client';
import { measures } from '../compare-original/measures.ts';

export interface DriverJob {
  url: string;
  measure: string;
  warmup: number;
  executions: number;
  /** Pause between executions in ms (0: back to back). */
  idleMs: number;
}

const job = JSON.parse(process.argv[2] ?? '') as DriverJob;
const measure = measures(1).find((candidate) => candidate.id === job.measure);
if (!measure || measure.concurrency) throw new Error(`No single-execution measure "${job.measure}"`);
const client = new AgentToolProtocolClient({ baseUrl: job.url });
client.provideLLM({ call: async (prompt: string) => `answer to ${prompt}` });
await client.init({ name: 'profile-server' });

const runOnce = async () => {
  const result = await client.execute(measure.code);
  if (result.status !== 'completed' || !measure.accepts(result.result)) {
    throw new Error(`${measure.label}: ${result.status} ${JSON.stringify(result.result ?? result.error)}`);
  }
};
for (let i = 0; i < job.warmup; i++) await runOnce();
const samples: number[] = [];
for (let i = 0; i < job.executions; i++) {
  if (job.idleMs > 0) await new Promise((resolve) => setTimeout(resolve, job.idleMs));
  const started = performance.now();
  await runOnce();
  samples.push(performance.now() - started);
}
samples.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({ p50: samples[samples.length >> 1] ?? 0, executions: job.executions })}\n`,
);
