// The shop API that shop.yaml describes, as a stand-in for docs/openapi.md:
// `node shop-api.mjs` (port 4030, or SHOP_PORT). Any bearer token is accepted.
import { createServer } from 'node:http';

const port = Number(process.env.SHOP_PORT ?? 4030);
const orders = new Map([
  ['O-1', { id: 'O-1', status: 'open', totalCents: 3870 }],
  ['O-2', { id: 'O-2', status: 'shipped', totalCents: 1250 }],
]);

const server = createServer((req, res) => {
  const match = /^\/v1\/orders\/([^/]+)$/.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
  const order = match ? orders.get(decodeURIComponent(match[1])) : undefined;
  res.setHeader('content-type', 'application/json');
  if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) {
    res.writeHead(401).end(JSON.stringify({ message: 'a bearer token is required' }));
  } else if (!order) {
    res.writeHead(404).end(JSON.stringify({ message: `no order at ${req.url}` }));
  } else if (req.method === 'GET') {
    res.end(JSON.stringify(order));
  } else if (req.method === 'DELETE') {
    order.status = 'cancelled';
    res.writeHead(204).end();
  } else {
    res.writeHead(405).end(JSON.stringify({ message: `${req.method} is not allowed` }));
  }
});
server.listen(port, '127.0.0.1', () => {
  console.log(`shop API listening on http://127.0.0.1:${server.address().port}/v1`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => server.close(() => process.exit(0)));
