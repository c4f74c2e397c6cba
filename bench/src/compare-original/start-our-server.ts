// Our server as the side-by-side benchmark runs it: defaults everywhere except the logger (off) and a fixed
// JWT secret, with the benchmark's API group, listening on a free port.
import { type AgentToolProtocolServer, createServer } from '@agent-tool-protocol/server';
import { benchGroup } from './groups.mjs';

export async function startOurServer(): Promise<AgentToolProtocolServer> {
  const server = createServer({
    auth: { jwtSecret: 'compare-original-secret-0123456789' },
    logger: { level: 'silent' },
  });
  server.addAPIGroup(benchGroup());
  await server.listen(0);
  return server;
}

/** Prints the `{"url": …}` line the orchestrator waits for, and exits when stdin closes. */
export function announce(server: AgentToolProtocolServer): void {
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.stdin.on('end', () => void server.shutdown(1000).then(() => process.exit(0))).resume();
}
