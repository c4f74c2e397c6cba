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

// Every measure connects its own clients (unmeasured) — one per execution for the concurrent measure, as
// concurrent agents are: at its defaults the original keeps sessions in a 1,000-entry LRU cache shared
// with execution state, so a client left idle while a thousand executions run loses its session (403).
const clientsFor = (url: string, count: number) =>
  Promise.all(Array.from({ length: count }, () => connect(url)));

const samples: ClientSamples = {};
for (const measure of measures(job.concurrency)) {
  const count = measure.concurrency ?? 1;
  const once = (target: ClientJob['targets'][number], clients: AgentToolProtocolClient[]) =>
    Promise.all(clients.map((client) => executeChecked(client, measure, target.name)));
  const warmup = measure.concurrency ? job.warmupConcurrent : job.warmup;
  const clients = new Map<string, AgentToolProtocolClient[]>();
  const targets = job.targets.filter((target) => target.measures?.includes(measure.id) ?? true);
  for (const target of targets) {
    samples[target.name] ??= {};
    samples[target.name]![measure.id] = [];
    clients.set(target.name, await clientsFor(target.url, count));
    for (let i = 0; i < warmup; i++) await once(target, clients.get(target.name)!);
  }
  const perRound = measure.concurrency ? job.perRoundConcurrent : job.perRound;
  for (let round = 0; round < job.rounds; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    for (const target of order) {
      for (let i = 0; i < perRound; i++) {
        if (measure.idleMs > 0) await pause(measure.idleMs);
        const started = performance.now();
        await once(target, clients.get(target.name)!);
        samples[target.name]![measure.id]!.push(performance.now() - started);
      }
    }
  }
}
process.stdout.write(`${JSON.stringify(samples)}\n`);
