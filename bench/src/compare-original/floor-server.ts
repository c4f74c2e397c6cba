// The floor of the side-by-side benchmark: a bare node:http server that speaks just enough of the ATP
// protocol for the published 0.19 client and ours (`/api/init`, `/api/execute`) and answers each
// measure's known code with that measure's result (measures.ts `floorResult`), without a sandbox, auth
// or validation; the concurrent measure's code it answers after the tool's wait. Measured in the same
// rounds as the real servers, it shows what the client process, the loopback and (where there is one)
// the timer cost on their own, so the servers' share of each row can be read off.
// `node floor-server.ts`; prints {"url": …} once listening; exits when its stdin closes.
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import { measures } from './measures.ts';

interface Answer {
  result: unknown;
  waitMs: number;
}

const answers = new Map<string, Answer>();
for (const measure of measures(1)) {
  if (measure.floorResult === undefined) continue;
  answers.set(measure.code, { result: measure.floorResult, waitMs: measure.floorWaitMs ?? 0 });
}

const SESSION_MS = 3_600_000;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    if (req.method === 'POST' && req.url === '/api/init') {
      const now = Date.now();
      send(res, 200, {
        clientId: randomUUID(),
        token: randomUUID(),
        expiresAt: now + SESSION_MS,
        tokenRotateAt: now + SESSION_MS / 2,
      });
      return;
    }
    const body = (
      req.method === 'POST' && req.url === '/api/execute'
        ? JSON.parse(Buffer.concat(chunks).toString('utf8'))
        : {}
    ) as { code?: unknown };
    const answer = typeof body.code === 'string' ? answers.get(body.code) : undefined;
    if (!answer) {
      send(res, 404, { error: 'The floor server answers only the benchmark measures it knows.' });
      return;
    }
    const started = Date.now();
    const reply = () =>
      send(res, 200, {
        executionId: randomUUID(),
        status: 'completed',
        result: answer.result,
        stats: { duration: Date.now() - started, llmCallsCount: 0, approvalCallsCount: 0 },
      });
    if (answer.waitMs > 0) setTimeout(reply, answer.waitMs);
    else reply();
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
process.stdin.on('end', () => process.exit(0)).resume();
