// `pnpm --filter mcp-gateway-example start`: starts the gateway, runs the demo against it, and keeps serving.
// `--serve` only serves; `--once` exits after the demo. `PORT` picks the port (0 = any free port).
import { runDemo } from './demo.ts';
import { startGateway } from './gateway.ts';

const serveOnly = process.argv.includes('--serve');
const once = process.argv.includes('--once');

const gateway = await startGateway({ port: Number(process.env.PORT ?? 3334) });
console.log(`ATP MCP gateway listening on ${gateway.url} (ATP: /api, MCP: /mcp)`);
console.log(`aggregating ${gateway.tools.join('; ')}`);

const stop = async (reason: string) => {
  console.log(`\n${reason}: stopping the gateway and its MCP servers…`);
  await gateway.close();
  process.exit(0);
};

if (!serveOnly) {
  try {
    await runDemo(gateway.url);
  } catch (error) {
    console.error(error);
    await gateway.close();
    process.exit(1);
  }
}
if (once) {
  await gateway.close();
} else {
  console.log(
    `\nServing. Point an MCP client at ${gateway.url}/mcp, or run \`pnpm --filter mcp-gateway-example demo\`. Ctrl-C stops.`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop(signal));
}
