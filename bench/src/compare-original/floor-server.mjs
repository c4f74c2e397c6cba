// The floor of the concurrent measure: a bare node:http server that speaks just enough of the ATP 0.19
// protocol for the published client (`/api/init`, `/api/execute`) and does nothing but the tool's wait:
// it answers the concurrent measure's code after SLOW_TOOL_MS, without a sandbox, auth or validation.
// Measured in the same rounds as the real servers, it shows what the client process, the loopback and
// the timer cost on their own, so the servers' share of the concurrent row can be read off.
// `node floor-server.mjs`; prints {"url": …} once listening; exits when its stdin closes.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const SLOW_TOOL = /api\.bench\.sleep\(\{ ms: (\d+) \}\)/;

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    if (req.method === 'POST' && req.url === '/api/init') {
      send(res, 200, { clientId: randomUUID(), token: randomUUID(), expiresAt: 0, tokenRotateAt: 0 });
      return;
    }
    const body = req.url === '/api/execute' ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    const slow = typeof body.code === 'string' ? SLOW_TOOL.exec(body.code) : null;
    if (!slow) {
      send(res, 404, { error: 'The floor server answers only the concurrent measure.' });
      return;
    }
    const ms = Number(slow[1]);
    const started = Date.now();
    setTimeout(() => {
      send(res, 200, {
        executionId: randomUUID(),
        status: 'completed',
        result: { slept: ms },
        stats: { duration: Date.now() - started, llmCallsCount: 0, approvalCallsCount: 0 },
      });
    }, ms);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.stdin.on('end', () => process.exit(0)).resume();
