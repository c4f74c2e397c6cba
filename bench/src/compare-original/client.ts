// The measuring client of the side-by-side benchmark, in its own process:
// `node client.ts '<job JSON>'`. It drives every target server with the published ATP 0.19 client (the
// same client code for both, so only the servers differ), alternating between targets round by round so
// that load from elsewhere on the machine falls on both alike, and prints one JSON line of samples (ms).
import { AgentToolProtocolClient } from '@mondaydotcomorg/atp-client';
import { type ClientJob, type ClientSamples, type Measure, measures } from './measures.ts';

const job = JSON.parse(process.argv[2] ?? '') as ClientJob;

async function connect(url: string): Promise<AgentToolProtocolClient> {
  const client = new AgentToolProtocolClient({ baseUrl: url });
  client.provideLLM({ call: async (prompt: string) => `answer to ${prompt}` });
  await client.init({ name: 'compare-original' });
  return client;
}

async function executeChecked(
  client: AgentToolProtocolClient,
  measure: Measure,
  target: string,
): Promise<void> {
  const result = await client.execute(measure.code);
  if (result.status !== 'completed' || !measure.accepts(result.result)) {
    throw new Error(
      `${target}, ${measure.label}: ${result.status} ${JSON.stringify(result.result ?? result.error).slice(0, 500)}`,
    );
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const connected = await Promise.all(
  job.targets.map(async (target) => ({
    ...target,
    main: await connect(target.url),
    // One client per concurrent execution, as concurrent agents are.
    pool: await Promise.all(Array.from({ length: job.concurrency }, () => connect(target.url))),
  })),
);

const samples: ClientSamples = {};
for (const measure of measures(job.concurrency)) {
  const once = async (target: (typeof connected)[number]) => {
    if (measure.concurrency)
      await Promise.all(target.pool.map((client) => executeChecked(client, measure, target.name)));
    else await executeChecked(target.main, measure, target.name);
  };
  for (const target of connected) {
    samples[target.name] ??= {};
    samples[target.name]![measure.id] = [];
    for (let i = 0; i < job.warmup; i++) await once(target);
  }
  const perRound = measure.concurrency ? job.perRoundConcurrent : job.perRound;
  for (let round = 0; round < job.rounds; round++) {
    const order = round % 2 === 0 ? connected : [...connected].reverse();
    for (const target of order) {
      for (let i = 0; i < perRound; i++) {
        if (measure.idleMs > 0) await pause(measure.idleMs);
        const started = performance.now();
        await once(target);
        samples[target.name]![measure.id]!.push(performance.now() - started);
      }
    }
  }
}
process.stdout.write(`${JSON.stringify(samples)}\n`);
