// The published ATP 0.19 server, run by Node 20 from the directory install.ts installed it in:
// `node original-server.mjs <install dir>`. Defaults everywhere except the logger (off, as ours is in
// the benchmark). Prints {"url": …} once listening; exits when its stdin closes.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchGroup } from './groups.mjs';

const installDir = process.argv[2];
if (!installDir) throw new Error('usage: original-server.mjs <install dir>');
const entry = join(installDir, 'node_modules', '@mondaydotcomorg', 'atp-server', 'dist', 'index.js');
const { createServer } = await import(pathToFileURL(entry).href);

const server = createServer({ logger: 'none' });
server.use(benchGroup());
await server.listen(0);
// `listen` keeps its node:http server private; the port is only known from it.
const { port } = server.httpServer.address();
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
process.stdin.on('end', () => process.exit(0)).resume();
