import type { APIGroup } from '@agent-tool-protocol/protocol';

export interface CrmRecord {
  id: string;
  name: string;
  tier: 'free' | 'pro';
}

/** A CRM-like group with a read, a write (output schema) and a destructive call (none), counting real calls. */
export function recordsApi(count = 50) {
  const records: CrmRecord[] = Array.from({ length: count }, (_, i) => ({
    id: `R-${i + 1}`,
    name: `Customer ${i + 1}`,
    tier: 'free',
  }));
  const calls = { list: 0, update: 0, remove: 0 };
  const group: APIGroup = {
    name: 'records',
    type: 'custom',
    description: 'Customer records',
    functions: [
      {
        name: 'list',
        description: 'List customer records',
        inputSchema: { type: 'object', properties: { tier: { type: 'string', enum: ['free', 'pro'] } } },
        outputSchema: {
          type: 'array',
          items: {
            type: 'object',
            properties: { id: { type: 'string' }, name: { type: 'string' }, tier: { type: 'string' } },
            required: ['id', 'name', 'tier'],
          },
        },
        metadata: { operationType: 'read' },
        handler: async (input: { tier?: string }) => {
          calls.list++;
          return records.filter((record) => !input?.tier || record.tier === input.tier);
        },
      },
      {
        name: 'update',
        description: 'Update one record',
        inputSchema: {
          type: 'object',
          properties: { id: { type: 'string' }, tier: { type: 'string', enum: ['free', 'pro'] } },
          required: ['id', 'tier'],
        },
        outputSchema: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            updated: { type: 'boolean', const: true },
            version: { type: 'integer', minimum: 1 },
            note: { type: 'string' },
          },
          required: ['id', 'updated', 'version'],
        },
        metadata: { operationType: 'write' },
        handler: async (input: { id: string; tier: 'free' | 'pro' }) => {
          calls.update++;
          const record = records.find((candidate) => candidate.id === input.id);
          if (record) record.tier = input.tier;
          return { id: input.id, updated: true, version: 2 };
        },
      },
      {
        name: 'remove',
        description: 'Delete one record',
        inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        metadata: { operationType: 'destructive' },
        handler: async (input: { id: string }) => {
          calls.remove++;
          const index = records.findIndex((candidate) => candidate.id === input.id);
          if (index >= 0) records.splice(index, 1);
          return { removed: index >= 0 };
        },
      },
    ],
  };
  return { group, records, calls };
}
