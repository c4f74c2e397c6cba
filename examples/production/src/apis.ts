// The example's API groups: `orders` (custom functions keeping their data in Redis, so every instance
// sees the same orders) and `acme` (an `oauth` group: each call gets the user's fresh access token).
import type { APIGroup, CacheProvider } from '@agent-tool-protocol/protocol';

export interface Order {
  id: number;
  item: string;
  quantity: number;
  reference?: string;
  createdBy: string;
}

export function createOrdersAPI(cache: CacheProvider): APIGroup {
  return {
    name: 'orders',
    type: 'custom',
    description: 'Orders of the shop.',
    functions: [
      {
        name: 'create',
        description: 'Creates an order and returns it.',
        inputSchema: {
          type: 'object',
          properties: {
            item: { type: 'string' },
            quantity: { type: 'integer', minimum: 1 },
            reference: { type: 'string', description: 'Your own reference, to find the order again.' },
          },
          required: ['item', 'quantity'],
        },
        metadata: { operationType: 'write' },
        handler: async (input: { item: string; quantity: number; reference?: string }) => {
          const id = await cache.increment('orders:sequence');
          const order: Order = { id, ...input, createdBy: process.env.INSTANCE_NAME ?? 'unknown' };
          await cache.append('orders:all', order);
          return order;
        },
      },
      {
        name: 'list',
        description: 'Every order, oldest first.',
        inputSchema: { type: 'object', properties: { reference: { type: 'string' } } },
        metadata: { operationType: 'read' },
        handler: async (input: { reference?: string }) => {
          const orders = await cache.range<Order>('orders:all');
          return input.reference ? orders.filter((order) => order.reference === input.reference) : orders;
        },
      },
    ],
  };
}

export function createProfileAPI(providerUrl: string): APIGroup {
  return {
    name: 'acme',
    type: 'oauth',
    description: "The user's ACME account (needs their consent: /oauth/acme/authorize).",
    metadata: { oauthProvider: 'acme', oauthScopes: ['profile'] },
    functions: [
      {
        name: 'profile',
        description: "The connected user's profile.",
        outputSchema: {
          type: 'object',
          properties: { id: { type: 'string' }, name: { type: 'string' }, plan: { type: 'string' } },
        },
        handler: async (_input, context) => {
          const { accessToken } = context.credentials as { accessToken: string };
          const response = await fetch(`${providerUrl}/api/profile`, {
            headers: { authorization: `Bearer ${accessToken}` },
          });
          if (!response.ok) throw new Error(`ACME answered HTTP ${response.status}`);
          return response.json();
        },
      },
    ],
  };
}
