// One ATP server instance for the scale-out tests, run as its own process against the BUILT packages:
//   node --no-node-snapshot test/scaleout/instance.ts
// Environment: REDIS_URL, ATP_JWT_SECRET, EFFECTS_FILE (side effects are appended there, one line each),
// INSTANCE (a name for logs). Prints `listening on <url>` once it serves.
import { appendFileSync } from 'node:fs';
import { RedisCache } from '@agent-tool-protocol/providers';
import { createServer } from '@agent-tool-protocol/server';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const instance = env('INSTANCE');
const effectsFile = env('EFFECTS_FILE');
const cache = new RedisCache({ redis: env('REDIS_URL'), keyPrefix: 'scaleout:', commandTimeoutMs: 2_000 });

const server = createServer({
  mode: 'production',
  auth: { jwtSecret: env('ATP_JWT_SECRET') },
  execution: { isolatePoolSize: 1, timeout: 20_000 },
  logger: { level: process.env.LOG_LEVEL ?? 'silent' },
});
server.setCacheProvider(cache);
server.addAPIGroup({
  name: 'effects',
  type: 'custom',
  description: 'Side effects the test counts: each call appends one line to a file.',
  functions: [
    {
      name: 'record',
      description: 'Records one side effect named `key`; waits `delayMs` first.',
      inputSchema: {
        type: 'object',
        properties: { key: { type: 'string' }, delayMs: { type: 'number' } },
        required: ['key'],
      },
      metadata: { operationType: 'write' },
      handler: async (input: { key: string; delayMs?: number }, context) => {
        if (input.delayMs) await new Promise((resolve) => setTimeout(resolve, input.delayMs));
        appendFileSync(
          effectsFile,
          `${JSON.stringify({ key: input.key, instance, executionId: context.executionId })}\n`,
        );
        return { key: input.key, instance };
      },
    },
  ],
});

await server.listen(0);
console.log(`${instance} listening on ${server.url}`);

process.once('SIGTERM', async () => {
  await server.shutdown(2_000);
  await cache.close();
  process.exit(0);
});
