// Measures the loader against its targets. Run after `pnpm --filter @agent-tool-protocol/openapi build`:
//   node --expose-gc scripts/measure.ts
// 1. GitHub's full spec (@octokit/openapi) from file to ready functions, 2. heap after load,
// 3. per-call overhead of a generated function over a raw fetch against a local HTTP server.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { loadOpenAPI } from '../dist/index.js';

const require = createRequire(import.meta.url);
const githubSpec = require.resolve('@octokit/openapi/generated/api.github.com.json');
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const print = (line: string) => process.stdout.write(`${line}\n`);

async function measureGithub(): Promise<void> {
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const runs: number[] = [];
  let group: Awaited<ReturnType<typeof loadOpenAPI>> | undefined;
  for (let i = 0; i < 3; i++) {
    group = undefined;
    gc();
    const started = performance.now();
    group = await loadOpenAPI({ name: 'github', path: githubSpec });
    runs.push(performance.now() - started);
  }
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  print(
    `github: ${group!.functions.length} functions, ${Object.keys(group!.definitions ?? {}).length} definitions; ` +
      `load-to-ready ms: ${runs.map((r) => r.toFixed(0)).join(', ')} (first is cold)`,
  );
  print(
    `github: heap retained by the loaded group ≈ ${((heapAfter - heapBefore) / 1024 / 1024).toFixed(1)} MiB`,
  );
}

async function measureCallOverhead(): Promise<void> {
  const body = JSON.stringify({ id: 'bk_1', title: 'Dune' });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const spec = {
    openapi: '3.0.3',
    info: { title: 'bench', version: '1' },
    paths: {
      '/books/{bookId}': {
        get: {
          operationId: 'getBook',
          parameters: [
            { name: 'bookId', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'fields', in: 'query', schema: { type: 'array', items: { type: 'string' } } },
          ],
          responses: {
            '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } },
          },
        },
      },
    },
  };
  const group = await loadOpenAPI({
    name: 'bench',
    spec,
    baseUrl: base,
    auth: { scheme: 'bearer', token: 'tkn_123456' },
  });
  const handler = group.functions[0]!.handler;
  const context = { clientId: 'c', executionId: 'e' };
  const raw = async () => {
    const response = await fetch(`${base}/books/bk_1?fields=a&fields=b`, {
      headers: { accept: 'application/json', authorization: 'Bearer tkn_123456' },
    });
    return response.json();
  };
  const generated = () => handler({ bookId: 'bk_1', fields: ['a', 'b'] }, context) as Promise<unknown>;
  const rounds = 2000;
  const time = async (fn: () => Promise<unknown>) => {
    const started = performance.now();
    for (let i = 0; i < rounds; i++) await fn();
    return (performance.now() - started) / rounds;
  };
  for (let i = 0; i < 300; i++) {
    await raw();
    await generated();
  }
  const samples: number[] = [];
  for (let r = 0; r < 5; r++) {
    const rawMs = await time(raw);
    const generatedMs = await time(generated);
    samples.push(generatedMs - rawMs);
    print(`call: raw fetch ${(rawMs * 1000).toFixed(0)} µs, generated ${(generatedMs * 1000).toFixed(0)} µs`);
  }
  samples.sort((a, b) => a - b);
  print(`call: median overhead ${(samples[2]! * 1000).toFixed(0)} µs per call (target ≤ 200 µs)`);
  server.closeAllConnections();
  server.close();
}

await measureGithub();
await measureCallOverhead();
