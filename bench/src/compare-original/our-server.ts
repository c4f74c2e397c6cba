// Our server for the side-by-side benchmark, in its own process: `node --no-node-snapshot our-server.ts`.
// Defaults everywhere except the logger (off) and a fixed JWT secret. Prints {"url": …} once listening;
// exits when its stdin closes.
import { createServer } from '@agent-tool-protocol/server';
import { benchGroup } from './groups.mjs';

const server = createServer({
  auth: { jwtSecret: 'compare-original-secret-0123456789' },
  logger: { level: 'silent' },
});
server.addAPIGroup(benchGroup());
await server.listen(0);
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.stdin.on('end', () => void server.shutdown(1000).then(() => process.exit(0))).resume();
