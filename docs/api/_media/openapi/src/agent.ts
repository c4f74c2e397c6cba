// The agent's side: discover the shop API through ATP, then run code that does the work in the sandbox.
// Only each snippet's small result travels back (into a model's context, in a real agent).
import { AgentToolProtocolClient } from '@agent-tool-protocol/client';

export const SNIPPETS: Array<[title: string, code: string]> = [
  [
    'Restock report: products at or below their reorder level, with the units open orders hold',
    `
    const low = await api.shop.inventory.listProducts({ lowStock: true });
    const open = await api.shop.orders.listOrders({ status: 'open' });
    const reserved = {};
    for (const order of open) for (const line of order.lines) reserved[line.sku] = (reserved[line.sku] ?? 0) + line.quantity;
    return low.map((p) => ({ sku: p.sku, name: p.name, stock: p.stock, reorderLevel: p.reorderLevel, reserved: reserved[p.sku] ?? 0 }));
    `,
  ],
  [
    "Gold customers' open orders (customer lookups in parallel)",
    `
    const open = await api.shop.orders.listOrders({ status: 'open' });
    const ids = [...new Set(open.map((order) => order.customerId))];
    const customers = await Promise.all(ids.map((customerId) => api.shop.customers.getCustomer({ customerId })));
    const gold = new Map(customers.filter((c) => c.tier === 'gold').map((c) => [c.id, c.name]));
    return open
      .filter((order) => gold.has(order.customerId))
      .map((order) => ({ order: order.id, customer: gold.get(order.customerId), total: (order.totalCents / 100).toFixed(2) }));
    `,
  ],
  [
    'Place an order; on HTTP 409 (not enough stock) order what is available instead',
    `
    const wanted = { sku: 'COF-002', quantity: 5 };
    try {
      const order = await api.shop.orders.createOrder({ body: { customerId: 'C-101', lines: [wanted] } });
      return { placed: order.id, quantity: wanted.quantity };
    } catch (e) {
      if (e.status !== 409) throw e;
      const product = await api.shop.inventory.getProduct({ sku: wanted.sku });
      const order = await api.shop.orders.createOrder({
        body: { customerId: 'C-101', lines: [{ sku: wanted.sku, quantity: product.stock }] },
      });
      return { firstTry: e.code + ' ' + e.status, placed: order.id, quantity: product.stock, totalCents: order.totalCents };
    }
    `,
  ],
  [
    'Cancel an order (a destructive DELETE: the client is asked to approve it first)',
    `
    await api.shop.orders.cancelOrder({ orderId: 'O-1004' });
    const order = await api.shop.orders.getOrder({ orderId: 'O-1004' });
    return { order: order.id, status: order.status };
    `,
  ],
];

export async function runAgent(atpUrl: string, print: (line: string) => void = console.log): Promise<void> {
  const client = new AgentToolProtocolClient({ baseUrl: atpUrl });
  // A stand-in for a person (or a policy) approving destructive calls; decline by returning approved: false.
  client.provideApproval(async (message) => {
    print(`approval requested: ${message} → approved`);
    return { approved: true };
  });
  await client.init({ name: 'openapi-example-agent' });

  const hits = await client.searchQuery('which products need restocking');
  print(
    `search → ${hits
      .slice(0, 3)
      .map((hit) => `${hit.apiGroup}.${hit.functionName}`)
      .join(', ')}`,
  );
  const types = await client.getTypeDefinitions();
  print(`types → ${types.split('\n').length} lines of TypeScript declarations for the agent's code`);

  for (const [title, code] of SNIPPETS) {
    const result = await client.execute(code);
    print(`\n# ${title}\nstatus: ${result.status} (${result.stats.toolCallsCount ?? 0} API calls)`);
    print(JSON.stringify(result.status === 'completed' ? result.result : result.error, null, 2));
  }
}
