// Measures the loader on GitHub's published schema. Run after `pnpm --filter @agent-tool-protocol/graphql build`:
//   node --expose-gc scripts/measure.ts
// 1. load-to-ready time from the introspection JSON and from the SDL, 2. heap retained by the group,
// 3. the default documents: time to build all of them and their sizes.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadGraphQL } from '../dist/index.js';

const schemaDir = fileURLToPath(new URL('../node_modules/@octokit/graphql-schema/', import.meta.url));
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const print = (line: string) => process.stdout.write(`${line}\n`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const sent: string[] = [];
const recordingFetch: typeof fetch = async (_url, init) => {
  sent.push((JSON.parse(String(init?.body)) as { query: string }).query);
  return new Response('{"data":null}', { headers: { 'content-type': 'application/json' } });
};

for (const file of ['schema.json', 'schema.graphql']) {
  const runs: number[] = [];
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  let group: Awaited<ReturnType<typeof loadGraphQL>> | undefined;
  for (let i = 0; i < 5; i++) {
    group = undefined;
    gc();
    const started = performance.now();
    group = await loadGraphQL(join(schemaDir, file), {
      name: 'github',
      url: 'https://api.github.com/graphql',
      fetch: recordingFetch,
    });
    runs.push(performance.now() - started);
  }
  gc();
  // Heap is only meaningful for the first file: later ones start with the earlier groups collected.
  const heap =
    file === 'schema.json'
      ? `; heap retained ≈ ${((process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024).toFixed(1)} MiB`
      : '';
  print(
    `${file}: ${group!.functions.length} functions, ${Object.keys(group!.definitions ?? {}).length} definitions; ` +
      `load-to-ready ms: ${runs.map((r) => r.toFixed(0)).join(', ')} (first is cold; median ${median(runs).toFixed(0)})${heap}`,
  );
  if (file !== 'schema.json') continue;
  for (const depth of [0, 1, 2]) {
    const atDepth = await loadGraphQL(join(schemaDir, file), {
      name: 'github',
      url: 'https://api.github.com/graphql',
      fetch: recordingFetch,
      queryDepthLimit: depth,
    });
    sent.length = 0;
    const started = performance.now();
    for (const fn of atDepth.functions) {
      const required = (fn.inputSchema?.required ?? []) as string[];
      // Only the document matters here; required inputs get placeholder values the server never sees.
      const input = Object.fromEntries(
        required.map((key) => [key, sampleFor(fn.inputSchema!, key, atDepth.definitions!)]),
      );
      await fn.handler(input, { clientId: 'c', executionId: 'e' });
    }
    const ms = performance.now() - started;
    const sizes = sent.map((query) => query.length);
    print(
      `default documents, queryDepthLimit ${depth}: ${sizes.length} built and validated in ${ms.toFixed(0)} ms; ` +
        `size median ${median(sizes)} chars, max ${Math.max(...sizes)}`,
    );
  }
}

function sampleFor(
  schema: Record<string, unknown>,
  key: string,
  definitions: Record<string, unknown>,
): unknown {
  const resolve = (value: Record<string, unknown>): Record<string, unknown> => {
    if (typeof value.$ref === 'string')
      return resolve(definitions[value.$ref.slice('#/$defs/'.length)] as Record<string, unknown>);
    if (Array.isArray(value.anyOf)) return resolve(value.anyOf[0] as Record<string, unknown>);
    return value;
  };
  const build = (value: Record<string, unknown>): unknown => {
    const resolved = resolve(value);
    if (Array.isArray(resolved.enum)) return resolved.enum[0];
    const type = Array.isArray(resolved.type) ? resolved.type[0] : resolved.type;
    if (type === 'integer' || type === 'number') return 1;
    if (type === 'boolean') return true;
    if (type === 'array') return [];
    if (type === 'object') {
      const properties = (resolved.properties ?? {}) as Record<string, Record<string, unknown>>;
      return Object.fromEntries(
        ((resolved.required ?? []) as string[]).map((name) => [name, build(properties[name]!)]),
      );
    }
    return 'x';
  };
  return build((schema.properties as Record<string, Record<string, unknown>>)[key]!);
}
