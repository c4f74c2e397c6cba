// Measures (1) connect + tools/list of server-everything over stdio and (2) the overhead of a tool
// call through the APIGroup handler over a direct SDK client call. Needs `pnpm build` first.
// Usage: node scripts/bench.mjs [--connects 10] [--calls 4000]
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { MCPConnector } from '../dist/index.js';

const { values } = parseArgs({
  options: { connects: { type: 'string', default: '10' }, calls: { type: 'string', default: '4000' } },
});
const require = createRequire(import.meta.url);
const everything = join(
  dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')),
  'dist',
  'index.js',
);
const serverArgs = [everything, 'stdio'];
const ctx = { clientId: 'bench', executionId: 'bench' };
const out = (line) => process.stdout.write(`${line}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (n) => `${n.toFixed(3)} ms`;

// 1. connect + list
const connectTimes = [];
for (let i = 0; i < Number(values.connects); i++) {
  const connector = new MCPConnector();
  const started = performance.now();
  const group = await connector.connectToMCPServer({
    name: 'everything',
    command: process.execPath,
    args: serverArgs,
  });
  connectTimes.push(performance.now() - started);
  if (group.functions.length === 0) throw new Error('no tools listed');
  await connector.close();
}
out(`connect + tools/list (server-everything, stdio, incl. process spawn), ${connectTimes.length} runs:`);
out(
  `  median ${ms(median(connectTimes))}, min ${ms(Math.min(...connectTimes))}, max ${ms(Math.max(...connectTimes))}`,
);

// 2. call overhead: alternate blocks so both paths see the same machine noise
const connector = new MCPConnector();
const group = await connector.connectToMCPServer({
  name: 'everything',
  command: process.execPath,
  args: serverArgs,
});
const echo = group.functions.find((f) => f.name === 'echo');
const client = new Client({ name: 'bench', version: '0' });
await client.connect(
  new StdioClientTransport({ command: process.execPath, args: serverArgs, stderr: 'ignore' }),
);
await client.listTools();

const input = { message: 'x' };
const viaGroup = () => echo.handler(input, ctx);
const direct = () => client.callTool({ name: 'echo', arguments: input });
async function block(fn, n) {
  const started = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return (performance.now() - started) / n;
}
await block(viaGroup, 300);
await block(direct, 300);
const rounds = 20;
const perRound = Math.max(1, Math.floor(Number(values.calls) / rounds));
const groupTimes = [];
const directTimes = [];
for (let round = 0; round < rounds; round++) {
  if (round % 2 === 0) {
    groupTimes.push(await block(viaGroup, perRound));
    directTimes.push(await block(direct, perRound));
  } else {
    directTimes.push(await block(direct, perRound));
    groupTimes.push(await block(viaGroup, perRound));
  }
}
const g = median(groupTimes);
const d = median(directTimes);
out(`tools/call echo, sequential, ${rounds} rounds x ${perRound} calls (median of round means):`);
out(`  direct SDK client.callTool: ${ms(d)} per call`);
out(`  APIGroup handler:           ${ms(g)} per call`);
out(`  overhead:                   ${ms(g - d)} per call`);

await client.close();
await connector.close();
