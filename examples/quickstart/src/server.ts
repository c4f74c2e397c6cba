// Starts an ATP server with the support-desk API. `PORT` picks the port (0 = any free port).
import { createServer } from '@agent-tool-protocol/server';
import { createDeskAPI } from './desk-api.ts';

const port = Number(process.env.PORT ?? 3333);
const server = createServer({
  // A fixed development secret keeps tokens valid across restarts; production needs ATP_JWT_SECRET.
  auth: { jwtSecret: process.env.ATP_JWT_SECRET ?? 'quickstart-development-secret' },
  execution: { timeout: 30_000, llmCalls: 20 },
});
server.addAPIGroup(createDeskAPI());
await server.listen(port);
console.log(`ATP quickstart server listening on ${server.url}`);
console.log('Try it: pnpm --filter quickstart-example demo   (in another terminal)');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    console.log(`\n${signal}: finishing running executions…`);
    await server.shutdown(5_000);
    process.exit(0);
  });
}
