import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server speaking the part of the ATP wire protocol the client tests need, scripted per
 * test: the client package cannot depend on the real server (a workspace cycle), and the real server's
 * own tests cover the client against it (packages/server/test/client-e2e.test.ts).
 */
export interface ScriptedRequest {
  method: string;
  /** Without the query. */
  path: string;
  body: unknown;
  res: ServerResponse;
}

export interface Scripted {
  /** The JSON answer to a request (undefined: 404), or anything once it wrote to `res` itself. */
  route(request: ScriptedRequest): unknown;
}

export interface ProtocolServer {
  url: string;
  /** Every request: method, path, body and headers. */
  requests: Array<{ method: string; path: string; body: unknown; headers: IncomingMessage['headers'] }>;
  close(): Promise<void>;
}

export async function startProtocolServer(script: Scripted): Promise<ProtocolServer> {
  const requests: ProtocolServer['requests'] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text === '' ? undefined : JSON.parse(text);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: req.method ?? 'GET', path, body, headers: req.headers });
    const answer = await script.route({ method: req.method ?? 'GET', path, body, res });
    if (res.headersSent) return;
    if (answer === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `No route for ${req.method} ${path}.`, code: 'NOT_FOUND' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const initResponse = (clientId = 'cli_test') => ({
  clientId,
  token: 'token-1',
  expiresAt: Date.now() + 3_600_000,
  tokenRotateAt: Date.now() + 1_800_000,
});

export const stats = { duration: 1, llmCallsCount: 0, approvalCallsCount: 0, toolCallsCount: 0 };

/** Writes `text` to `res` in pieces cut at `cuts` (byte offsets), each flushed on its own. */
export async function writeInPieces(res: ServerResponse, text: string, cuts: number[]): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    res.write(bytes.subarray(start, cut));
    start = cut;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  res.end();
}
