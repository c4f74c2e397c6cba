import { createServer as createHttpServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { Catalog } from '@agent-tool-protocol/catalog';
import { MCPConnector } from '@agent-tool-protocol/mcp-adapter';
import { loadOpenAPI } from '@agent-tool-protocol/openapi';
import { MemoryCache } from '@agent-tool-protocol/protocol';
import { createExecutor } from '@agent-tool-protocol/runtime';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { type BenchRow, type BenchScale, type BenchSuite, percentile, row, sample } from '../measure.ts';

const require = createRequire(import.meta.url);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const context = { clientId: 'bench', executionId: 'bench' };

async function openapiRows(full: boolean): Promise<BenchRow[]> {
  const githubSpec = require.resolve('@octokit/openapi/generated/api.github.com.json');
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  let functions = 0;
  let catalog: Catalog | undefined;
  const load = await sample(
    full ? 5 : 1,
    async () => {
      catalog = new Catalog();
      const group = await loadOpenAPI({ name: 'github', path: githubSpec });
      catalog.addGroup(group);
      catalog.getDefinitions();
      functions = group.functions.length;
    },
    full ? 1 : 0,
  );
  gc();
  const heapMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  catalog = undefined;

  const body = JSON.stringify({ id: 'bk_1', title: 'Dune' });
  const server = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const group = await loadOpenAPI({
      name: 'books',
      baseUrl: base,
      auth: { scheme: 'bearer', token: 'bench-token' },
      spec: {
        openapi: '3.0.3',
        info: { title: 'books', version: '1' },
        paths: {
          '/books/{bookId}': {
            get: {
              operationId: 'getBook',
              parameters: [{ name: 'bookId', in: 'path', required: true, schema: { type: 'string' } }],
              responses: {
                '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } },
              },
            },
          },
        },
      },
    });
    const handler = group.functions[0]!.handler;
    const raw = () =>
      fetch(`${base}/books/bk_1`, {
        headers: { accept: 'application/json', authorization: 'Bearer bench-token' },
      }).then((r) => r.json());
    const generated = () => Promise.resolve(handler({ bookId: 'bk_1' }, context));
    const overheads: number[] = [];
    for (let round = 0; round < (full ? 10 : 1); round++) {
      const rawMs = await sample(full ? 300 : 5, raw, 20);
      const generatedMs = await sample(full ? 300 : 5, generated, 20);
      overheads.push(percentile(generatedMs, 50) - percentile(rawMs, 50));
    }
    return [
      row(
        'OpenAPI: GitHub spec file → functions + declarations',
        load,
        'ms',
        '≤ 1000 ms',
        `${functions} functions; heap after load ≈ ${heapMiB.toFixed(0)} MiB`,
      ),
      row(
        'OpenAPI: generated call overhead over raw fetch',
        overheads,
        'µs',
        '≤ 200 µs',
        'median of per-round p50 differences',
      ),
    ];
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

async function mcpRows(full: boolean): Promise<BenchRow[]> {
  const everything = join(
    dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')),
    'dist',
    'index.js',
  );
  const serverArgs = [everything, 'stdio'];
  const connect = await sample(
    full ? 5 : 1,
    async () => {
      const connector = new MCPConnector();
      await connector.connectToMCPServer({ name: 'everything', command: process.execPath, args: serverArgs });
      await connector.close();
    },
    0,
  );

  const connector = new MCPConnector();
  const group = await connector.connectToMCPServer({
    name: 'everything',
    command: process.execPath,
    args: serverArgs,
  });
  const client = new Client({ name: 'bench', version: '0' });
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: serverArgs, stderr: 'ignore' }),
  );
  const echo = group.functions.find((fn) => fn.name === 'echo')!;
  const executor = createExecutor({
    dispatcher: {
      resolve: (path) =>
        path === 'everything.echo'
          ? {
              path,
              group: 'everything',
              name: 'echo',
              call: (input, ctx) => Promise.resolve(echo.handler(input, ctx)),
            }
          : undefined,
      suggest: () => [],
    },
    cache: new MemoryCache(),
  });
  try {
    const calls = full ? 500 : 5;
    const code = `for (let i = 0; i < ${calls}; i++) await api.everything.echo({ message: 'x' }); return 1;`;
    const perCallOverhead: number[] = [];
    for (let round = 0; round < (full ? 6 : 1); round++) {
      const directStarted = performance.now();
      for (let i = 0; i < calls; i++) await client.callTool({ name: 'echo', arguments: { message: 'x' } });
      const directMs = (performance.now() - directStarted) / calls;
      const viaStarted = performance.now();
      const result = await executor.execute(code, { clientId: 'bench', limits: { maxToolCalls: 1_000_000 } });
      if (result.status !== 'completed') throw new Error(`MCP bench execution ${result.status}`);
      const viaMs = (performance.now() - viaStarted) / calls;
      perCallOverhead.push(viaMs - directMs);
    }
    return [
      row(
        'MCP: connect + tools/list (server-everything, stdio)',
        connect,
        'ms',
        'reported',
        'includes spawning the server process',
      ),
      row(
        'MCP: tool call through api.* over a direct SDK call',
        perCallOverhead,
        'ms',
        '≤ 0.3 ms',
        'sequential calls inside one execution',
      ),
    ];
  } finally {
    await executor.dispose();
    await client.close();
    await connector.close();
  }
}

export const adaptersSuite: BenchSuite = {
  name: 'adapters',
  async run(scale: BenchScale): Promise<BenchRow[]> {
    const full = scale === 'full';
    return [...(await openapiRows(full)), ...(await mcpRows(full))];
  },
};
