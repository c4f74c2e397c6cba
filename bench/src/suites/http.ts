import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { APIGroup } from '@agent-tool-protocol/protocol';
import { createServer } from '@agent-tool-protocol/server';
import { floorLaunch, type RunningServer, startServerProcess } from '../compare-original/compare.ts';
import { type BenchRow, type BenchScale, type BenchSuite, formatValue, percentile, row } from '../measure.ts';

/** 10,000 functions with realistic names and descriptions, in 100 groups. */
function searchCatalog(): APIGroup[] {
  const verbs = [
    'list',
    'get',
    'create',
    'update',
    'delete',
    'search',
    'archive',
    'export',
    'import',
    'sync',
  ];
  const nouns = [
    'user',
    'ticket',
    'invoice',
    'order',
    'comment',
    'project',
    'repository',
    'issue',
    'label',
    'team',
  ];
  const groups: APIGroup[] = [];
  for (let g = 0; g < 100; g++) {
    const functions = [];
    for (let f = 0; f < 100; f++) {
      const verb = verbs[f % verbs.length]!;
      const noun = nouns[Math.floor(f / verbs.length) % nouns.length]!;
      functions.push({
        name: `${noun}s.${verb}${f}`,
        description: `${verb} ${noun} records in service ${g} (variant ${f})`,
        inputSchema: { type: 'object', properties: { id: { type: 'string' }, query: { type: 'string' } } },
        handler: () => null,
      });
    }
    groups.push({ name: `service${g}`, type: 'custom', description: `Service number ${g}`, functions });
  }
  return groups;
}

export const httpSuite: BenchSuite = {
  name: 'http',
  async run(scale: BenchScale): Promise<BenchRow[]> {
    const full = scale === 'full';
    const server = createServer({
      auth: { jwtSecret: 'bench-secret-bench-secret-bench' },
      execution: { maxConcurrent: 128, maxConcurrentPerClient: 128, isolatePoolSize: 4 },
      logger: { level: 'silent' },
    });
    server.addAPIGroup({
      name: 'bench',
      type: 'custom',
      functions: [{ name: 'echo', handler: (input: unknown) => input }],
    });
    for (const group of searchCatalog()) server.addAPIGroup(group);
    await server.listen(0);
    let floor: RunningServer | undefined;
    const rows: BenchRow[] = [];
    try {
      floor = await startServerProcess(floorLaunch());
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          '--no-warnings',
          fileURLToPath(new URL('./http-client.ts', import.meta.url)),
          JSON.stringify({ url: server.url, floorUrl: floor.url, full }),
        ],
        { maxBuffer: 64 * 1024 * 1024 },
      );
      const measured = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
        trivial: number[];
        trivialFloor: number[];
        trivialBackToBack: number[];
        oneCall: number[];
        throughput: number;
        total: number;
        concurrency: number;
        search: number[];
      };
      rows.push(
        row(
          'HTTP: trivial execution (client → server → sandbox)',
          measured.trivial,
          'ms',
          '≤ 1.5 ms',
          `client in its own process, keep-alive; 3 ms idle between executions; floor ${formatValue(percentile(measured.trivialFloor, 50))} ms (the same client and idle, in alternating rounds, against a bare node:http server that answers without running anything: client and loopback)`,
        ),
        row(
          'HTTP: trivial execution, back-to-back',
          measured.trivialBackToBack,
          'ms',
          '≤ 1.5 ms',
          'the next execution starts as soon as the previous one answers',
        ),
        row('HTTP: execution with one API call', measured.oneCall, 'ms', '≤ 1.6 ms', ''),
        {
          name: `HTTP: throughput at concurrency ${measured.concurrency}`,
          p50: measured.throughput,
          p99: null,
          unit: 'exec/s',
          target: '–',
          note: `${measured.total} executions with one API call each`,
        },
        row(
          'HTTP: search over 10,000 functions',
          measured.search,
          'ms',
          '≤ 2 ms',
          'BM25, POST /api/search round trip',
        ),
      );
    } finally {
      await floor?.stop();
      await server.shutdown(1000);
    }
    return rows;
  },
};
