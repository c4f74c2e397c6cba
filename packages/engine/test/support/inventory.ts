import type { APIGroup } from '@agent-tool-protocol/protocol';

/** A small API with a read, a write and a destructive call, counting the calls that really ran. */
export function inventory() {
  const calls = { list: 0, restock: 0, discard: 0 };
  const stock = new Map([
    ['apples', 3],
    ['pears', 0],
  ]);
  const group: APIGroup = {
    name: 'inventory',
    type: 'custom',
    description: 'Warehouse stock',
    functions: [
      {
        name: 'list',
        description: 'Items and how many are in stock',
        metadata: { operationType: 'read' },
        handler: () => {
          calls.list++;
          return [...stock].map(([item, count]) => ({ item, count }));
        },
      },
      {
        name: 'restock',
        description: 'Adds items to the stock',
        inputSchema: {
          type: 'object',
          properties: { item: { type: 'string' }, count: { type: 'integer' } },
          required: ['item', 'count'],
        },
        outputSchema: {
          type: 'object',
          properties: { item: { type: 'string' }, count: { type: 'integer' } },
          required: ['item', 'count'],
        },
        metadata: { operationType: 'write' },
        handler: (input: { item: string; count: number }) => {
          calls.restock++;
          stock.set(input.item, (stock.get(input.item) ?? 0) + input.count);
          return { item: input.item, count: stock.get(input.item) };
        },
      },
      {
        name: 'discard',
        description: 'Throws items away',
        metadata: { operationType: 'destructive' },
        handler: () => {
          calls.discard++;
          return true;
        },
      },
    ],
  };
  return { group, calls, stock };
}
