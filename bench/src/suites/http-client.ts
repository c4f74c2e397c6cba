// The agent side of the HTTP benchmark, in its own process as a real client is, so server-side work
// never delays the client's measurement: `node http-client.ts '{"url": …, "floorUrl": …, "full": true}'`.
// The trivial execution is also measured against the floor server (compare-original/floor-server.ts,
// which answers without running anything), in alternating rounds with the same client code and idle.
// Prints one JSON line of samples (ms).
import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { sample } from '../measure.ts';

interface HttpClientJob {
  url: string;
  floorUrl: string;
  full: boolean;
}

const { url, floorUrl, full } = JSON.parse(process.argv[2] ?? '') as HttpClientJob;
const client = new AgentToolProtocolClient({ baseUrl: url });
await client.init({ name: 'bench' });
const floorClient = new AgentToolProtocolClient({ baseUrl: floorUrl });
await floorClient.init({ name: 'bench' });

async function expectCompleted(code: string, on = client): Promise<void> {
  const result = await on.execute(code);
  if (result.status !== 'completed')
    throw new Error(`bench execution ${result.status}: ${JSON.stringify(result.error)}`);
}

const idle = full ? 3 : 0;
const trivial: number[] = [];
const trivialFloor: number[] = [];
const rounds = full ? 10 : 1;
for (let round = 0; round < rounds; round++) {
  const warmup = round === 0 ? 20 : 0;
  const ours = () => sample(full ? 40 : 3, () => expectCompleted('return 1'), warmup, idle);
  const floor = () => sample(full ? 40 : 3, () => expectCompleted('return 1', floorClient), warmup, idle);
  if (round % 2 === 0) {
    trivial.push(...(await ours()));
    trivialFloor.push(...(await floor()));
  } else {
    trivialFloor.push(...(await floor()));
    trivial.push(...(await ours()));
  }
}
const trivialBackToBack = await sample(full ? 400 : 3, () => expectCompleted('return 1'), 20, 0);
const oneCall = await sample(
  full ? 400 : 3,
  () => expectCompleted('return await api.bench.echo({ n: 1 })'),
  20,
  idle,
);

const total = full ? 640 : 16;
const concurrency = full ? 64 : 4;
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next++;
      await expectCompleted('return await api.bench.echo({ n: 2 })');
    }
  }),
);
const throughput = total / ((performance.now() - started) / 1000);

await client.searchAPI('warm the index');
const queries = [
  'create a user',
  'archive old tickets',
  'export invoices',
  'sync repository labels',
  'delete a comment',
];
let q = 0;
const search = await sample(
  full ? 300 : 3,
  () => client.searchAPI(queries[q++ % queries.length]!, { maxResults: 10 }),
  10,
);

process.stdout.write(
  `${JSON.stringify({ trivial, trivialFloor, trivialBackToBack, oneCall, throughput, total, concurrency, search })}\n`,
);
