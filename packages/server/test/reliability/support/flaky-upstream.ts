import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A real HTTP upstream on 127.0.0.1 that misbehaves on purpose, with its OpenAPI document:
 * `/ok` answers, `/fail` 500s, `/hang` never answers, `/reset` destroys the connection and
 * `/malformed` sends broken JSON labelled application/json.
 */
export async function startFlakyUpstream() {
  const sockets = new Set<Socket>();
  const hits: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    hits[path] = (hits[path] ?? 0) + 1;
    switch (path) {
      case '/ok':
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ok: true }));
        return;
      case '/fail':
        res.statusCode = 500;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ message: 'database exploded' }));
        return;
      case '/hang':
        return; // never answers; the socket is destroyed at close()
      case '/reset':
        req.socket.destroy();
        return;
      case '/malformed':
        res.setHeader('content-type', 'application/json');
        res.end('{"ok": tru');
        return;
      default:
        res.statusCode = 404;
        res.end();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  const operation = (operationId: string) => ({
    get: {
      operationId,
      responses: {
        '200': {
          description: 'ok',
          content: {
            'application/json': { schema: { type: 'object', properties: { ok: { type: 'boolean' } } } },
          },
        },
      },
    },
  });
  const spec = {
    openapi: '3.0.3',
    info: { title: 'Flaky upstream', version: '1.0.0' },
    servers: [{ url: baseUrl }],
    paths: {
      '/ok': operation('fine'),
      '/fail': operation('fails'),
      '/hang': operation('hangs'),
      '/reset': operation('resets'),
      '/malformed': operation('malformed'),
    },
  };
  return {
    baseUrl,
    spec,
    hits,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
