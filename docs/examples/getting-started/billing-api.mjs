// The billing API that billing.yaml describes, as a stand-in for docs/getting-started.md:
// `node billing-api.mjs` (port 4020, or BILLING_PORT). Any bearer token is accepted.
import { createServer } from 'node:http';

const port = Number(process.env.BILLING_PORT ?? 4020);
const invoices = [
  { id: 'in_1', customer: 'c1', amount: 120, status: 'overdue' },
  { id: 'in_2', customer: 'c1', amount: 80, status: 'paid' },
  { id: 'in_3', customer: 'c2', amount: 300, status: 'open' },
  { id: 'in_4', customer: 'c3', amount: 45, status: 'overdue' },
  { id: 'in_5', customer: 'c3', amount: 60, status: 'overdue' },
];

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  res.setHeader('content-type', 'application/json');
  if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) {
    res.writeHead(401).end(JSON.stringify({ message: 'a bearer token is required' }));
  } else if (req.method === 'GET' && url.pathname === '/invoices') {
    const customer = url.searchParams.get('customer');
    res.end(JSON.stringify(invoices.filter((invoice) => invoice.customer === customer)));
  } else {
    res.writeHead(404).end(JSON.stringify({ message: `no route ${req.method} ${url.pathname}` }));
  }
});
server.listen(port, '127.0.0.1', () => {
  console.log(`billing API listening on http://127.0.0.1:${server.address().port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => server.close(() => process.exit(0)));
