// A small round-robin HTTP reverse proxy: each request goes to the next backend in turn, so two
// requests in a row (execute, then resume) land on different ATP instances.
import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class RoundRobinProxy {
  private next = 0;
  private server: Server | undefined;

  /** Backend base URLs; may be filled in after the proxy listens (its URL is the public one). */
  readonly backends: string[];

  constructor(backends: string[] = []) {
    this.backends = backends;
  }

  async listen(port = 0): Promise<string> {
    this.server = createServer((incoming, outgoing) => {
      if (this.backends.length === 0) {
        outgoing.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
        outgoing.end('{"error":"No ATP instance is up yet.","code":"SERVICE_UNAVAILABLE"}');
        return;
      }
      const backend = new URL(this.backends[this.next++ % this.backends.length]!);
      const upstream = forward(
        {
          host: backend.hostname,
          port: backend.port,
          method: incoming.method,
          path: incoming.url,
          headers: {
            ...incoming.headers,
            host: backend.host,
            'x-forwarded-for': incoming.socket.remoteAddress ?? '',
            'x-forwarded-host': incoming.headers.host ?? '',
          },
        },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
        },
      );
      upstream.on('error', () => {
        if (!outgoing.headersSent) {
          outgoing.writeHead(502, { 'content-type': 'application/json' });
        }
        outgoing.end(
          JSON.stringify({ error: `Backend ${backend.host} is unreachable.`, code: 'BAD_GATEWAY' }),
        );
      });
      incoming.pipe(upstream);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
