// A small CRM: 50 customers on the free tier. `update` is a write, so every call needs approval under
// the example's policy; `list` is a read and runs freely.
import type { APIGroup } from '@agent-tool-protocol/protocol';

export interface Customer {
  id: string;
  name: string;
  plan: 'free' | 'pro';
  seats: number;
}

export function crmApi() {
  const customers: Customer[] = Array.from({ length: 50 }, (_, i) => ({
    id: `C-${String(i + 1).padStart(3, '0')}`,
    name: `Customer ${i + 1}`,
    plan: 'free',
    seats: 1 + (i % 7),
  }));
  const writes: string[] = [];
  const group: APIGroup = {
    name: 'crm',
    type: 'custom',
    description: 'Customer records',
    functions: [
      {
        name: 'customers.list',
        description: 'List customers, optionally on one plan',
        inputSchema: { type: 'object', properties: { plan: { type: 'string', enum: ['free', 'pro'] } } },
        outputSchema: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              name: { type: 'string' },
              plan: { type: 'string', enum: ['free', 'pro'] },
              seats: { type: 'integer' },
            },
            required: ['id', 'name', 'plan', 'seats'],
          },
        },
        metadata: { operationType: 'read' },
        handler: (input: { plan?: string }) =>
          customers.filter((customer) => !input?.plan || customer.plan === input.plan),
      },
      {
        name: 'customers.update',
        description: "Change a customer's plan",
        inputSchema: {
          type: 'object',
          properties: { id: { type: 'string' }, plan: { type: 'string', enum: ['free', 'pro'] } },
          required: ['id', 'plan'],
        },
        outputSchema: {
          type: 'object',
          properties: { id: { type: 'string' }, plan: { type: 'string', enum: ['free', 'pro'] } },
          required: ['id', 'plan'],
        },
        metadata: { operationType: 'write' },
        handler: (input: { id: string; plan: 'free' | 'pro' }) => {
          const customer = customers.find((candidate) => candidate.id === input.id);
          if (!customer) throw new Error(`No customer ${input.id}`);
          customer.plan = input.plan;
          writes.push(input.id);
          return { id: customer.id, plan: customer.plan };
        },
      },
      {
        name: 'customers.delete',
        description: 'Delete a customer',
        inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        metadata: { operationType: 'destructive' },
        handler: (input: { id: string }) => {
          writes.push(`delete ${input.id}`);
          return { deleted: true };
        },
      },
    ],
  };
  return { group, customers, writes };
}
