// The server the soak profile loads: the built package in its own process, stopped by SIGTERM like
// a deployment would. Prints `listening <url>` once ready. Run with --expose-gc (scripts/soak.ts does).
import type { APIGroup } from '@agent-tool-protocol/protocol';
import { createServer } from '@agent-tool-protocol/server';

const tickets = Array.from({ length: 30 }, (_, i) => ({
  id: `T-${i + 1}`,
  status: i % 3 === 0 ? 'closed' : 'open',
}));

const group: APIGroup = {
  name: 'tickets',
  type: 'custom',
  description: 'Support desk tickets',
  functions: [
    {
      name: 'list',
      description: 'List tickets by status',
      inputSchema: { type: 'object', properties: { status: { type: 'string' } } },
      metadata: { operationType: 'read' },
      handler: async (input: { status?: string }) =>
        tickets.filter((ticket) => !input?.status || ticket.status === input.status),
    },
    {
      name: 'wait',
      description: 'A slow upstream',
      inputSchema: { type: 'object', properties: { ms: { type: 'number' } }, required: ['ms'] },
      metadata: { operationType: 'read' },
      handler: async (input: { ms: number }) => {
        await new Promise((resolve) => setTimeout(resolve, input.ms));
        return { waited: input.ms };
      },
    },
  ],
};

const server = createServer({
  auth: { jwtSecret: process.env.ATP_JWT_SECRET ?? 'soak-secret-that-is-long-enough' },
  execution: {
    isolatePoolSize: 4,
    ...(process.env.SOAK_MAX_CONCURRENT ? { maxConcurrent: Number(process.env.SOAK_MAX_CONCURRENT) } : {}),
  },
  // 200 clients from one address: the per-address init limit is raised for the test driver.
  clientInit: { maxInitsPerMinutePerIp: 10_000 },
});
server.addAPIGroup(group);
server.mount('/soak-stats', (_req, res) => {
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  res.json({
    heapUsed: process.memoryUsage().heapUsed,
    rss: process.memoryUsage().rss,
    executor: server.engine.executor.stats(),
    running: server.engine.runningExecutions,
    paused: server.engine.pausedExecutions,
  });
});
await server.listen(Number(process.env.PORT ?? 0));
process.stdout.write(`listening ${server.url}\n`);
process.once('SIGTERM', () => {
  void server.shutdown(10_000).then(() => {
    process.stdout.write('drained\n');
    process.exit(0);
  });
});
