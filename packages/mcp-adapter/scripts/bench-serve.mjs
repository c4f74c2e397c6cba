// Measures ATP served over MCP against the same engine called directly: (1) execute_code `return 1`,
// (2) execute_code with one API call, over Streamable HTTP and in-memory, and (3) a sampling fan-out.
// Needs built packages: pnpm turbo run build --filter=@agent-tool-protocol/mcp-adapter...
// Usage: node --no-node-snapshot scripts/bench-serve.mjs [--calls 200]
import { parseArgs } from 'node:util';
import { createServer } from '@agent-tool-protocol/server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createATPMCPHTTPHandler, createATPMCPServer } from '../dist/index.js';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '200' } } });
const calls = Number(values.calls);
const out = (line) => process.stdout.write(`${line}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (n) => `${n.toFixed(2)} ms`;

const server = createServer({
  auth: { jwtSecret: 'bench-secret-long-enough-0123456789' },
  logger: { level: 'silent' },
});
server.addAPIGroup({
  name: 'bench',
  type: 'custom',
  functions: [
    {
      name: 'ping',
      description: 'Answers pong',
      inputSchema: { type: 'object' },
      handler: async () => ({ pong: true }),
    },
  ],
});
const http = createATPMCPHTTPHandler(server.engine);
server.mount('/mcp', http);
await server.listen(0);
// /mcp asks for a client token, as /api does; this client declares hasLLM so sampling answers atp.llm.
const { token } = await server.engine.init({ services: { hasLLM: true } });
const authenticated = { requestInit: { headers: { authorization: `Bearer ${token}` } } };

async function time(label, run) {
  for (let i = 0; i < 20; i++) await run();
  const samples = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  out(`${label.padEnd(64)} median ${ms(median(samples))}  (min ${ms(Math.min(...samples))})`);
  return median(samples);
}

const sampling = { capabilities: { sampling: {} } };
const answer = (c) =>
  c.setRequestHandler(CreateMessageRequestSchema, async () => ({
    model: 'bench',
    role: 'assistant',
    content: { type: 'text', text: 'ok' },
  }));
const httpClient = new Client({ name: 'bench', version: '1' }, sampling);
answer(httpClient);
await httpClient.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), authenticated));
const memoryServer = createATPMCPServer(server.engine);
const memoryClient = new Client({ name: 'bench', version: '1' }, sampling);
answer(memoryClient);
const [a, b] = InMemoryTransport.createLinkedPair();
await Promise.all([memoryServer.connect(b), memoryClient.connect(a)]);
const { clientId } = await server.engine.init({});

const trivial = 'return 1';
const oneCall = 'return await api.bench.ping({})';
const fanOut = "return await Promise.all(Array.from({ length: 10 }, (_, i) => atp.llm.call('q' + i)))";
out(`node ${process.version}, ${calls} sequential calls each`);
const direct = await time('engine.execute(`return 1`) directly', () =>
  server.engine.execute(clientId, { code: trivial }),
);
await time('engine.execute(one API call) directly', () => server.engine.execute(clientId, { code: oneCall }));
const memory = await time('MCP in-memory tools/call execute_code `return 1`', () =>
  memoryClient.callTool({ name: 'execute_code', arguments: { code: trivial } }),
);
const viaHttp = await time('MCP Streamable HTTP tools/call execute_code `return 1`', () =>
  httpClient.callTool({ name: 'execute_code', arguments: { code: trivial } }),
);
await time('MCP Streamable HTTP execute_code with one API call', () =>
  httpClient.callTool({ name: 'execute_code', arguments: { code: oneCall } }),
);
await time('MCP Streamable HTTP execute_code, 10 concurrent sampling calls', () =>
  httpClient.callTool({ name: 'execute_code', arguments: { code: fanOut } }),
);
out(
  `MCP layer overhead over the direct engine: in-memory ${ms(memory - direct)}, HTTP ${ms(viaHttp - direct)}`,
);

await httpClient.close();
await memoryClient.close();
await http.close();
await server.shutdown(1000);
