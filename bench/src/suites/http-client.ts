// The agent side of the HTTP benchmark, in its own process as a real client is, so server-side work
// never delays the client's measurement: `node http-client.ts '{"url": …, "full": true}'`. Prints one
// JSON line of samples (ms).
import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { sample } from '../measure.ts';

interface HttpClientJob {
  url: string;
  full: boolean;
}

const { url, full } = JSON.parse(process.argv[2] ?? '') as HttpClientJob;
const client = new AgentToolProtocolClient({ baseUrl: url });
await client.init({ name: 'bench' });

async function expectCompleted(code: string): Promise<void> {
  const result = await client.execute(code);
  if (result.status !== 'completed')
    throw new Error(`bench execution ${result.status}: ${JSON.stringify(result.error)}`);
}

const idle = full ? 3 : 0;
const trivial = await sample(full ? 400 : 3, () => expectCompleted('return 1'), 20, idle);
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
  `${JSON.stringify({ trivial, trivialBackToBack, oneCall, throughput, total, concurrency, search })}\n`,
);
