import type { APIGroup } from '@agent-tool-protocol/protocol';

export interface Product {
  sku: string;
  name: string;
  category: 'tools' | 'garden' | 'kitchen';
  price: number;
}

/** A small custom API group the ATP-over-MCP tests call through execute_code. */
export function warehouse() {
  const calls = { products: 0, stock: 0 };
  const products: Product[] = Array.from({ length: 12 }, (_, i) => ({
    sku: `SKU-${i + 1}`,
    name: `Product ${i + 1}`,
    category: (['tools', 'garden', 'kitchen'] as const)[i % 3]!,
    price: 5 + i * 3,
  }));
  const stock: Record<string, number> = Object.fromEntries(products.map((p, i) => [p.sku, (i * 7) % 10]));
  const group: APIGroup = {
    name: 'warehouse',
    type: 'custom',
    description: 'Warehouse products and stock levels',
    functions: [
      {
        name: 'listProducts',
        description: 'List products in the catalogue, optionally of one category',
        inputSchema: {
          type: 'object',
          properties: { category: { type: 'string', enum: ['tools', 'garden', 'kitchen'] } },
        },
        metadata: { operationType: 'read' },
        handler: async (input: { category?: string }) => {
          calls.products++;
          return products.filter((p) => !input?.category || p.category === input.category);
        },
      },
      {
        name: 'stockLevel',
        description: 'How many units of a product (by SKU) are in stock',
        inputSchema: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] },
        metadata: { operationType: 'read' },
        handler: async (input: { sku: string }) => {
          calls.stock++;
          if (!(input.sku in stock))
            throw Object.assign(new Error(`Unknown SKU ${input.sku}`), { status: 404 });
          return { sku: input.sku, units: stock[input.sku] };
        },
      },
    ],
  };
  return { group, products, stock, calls };
}
