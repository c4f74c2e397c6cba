import type { APIGroup } from '@agent-tool-protocol/protocol';

export interface Ticket {
  id: string;
  title: string;
  status: 'open' | 'closed';
  priority: 'low' | 'high';
}

/** A small custom API group with call counters, shared by the server tests. */
export function supportDesk() {
  const calls = { list: 0, get: 0, close: 0, wait: 0 };
  const tickets: Ticket[] = Array.from({ length: 30 }, (_, i) => ({
    id: `T-${i + 1}`,
    title: `Ticket number ${i + 1}`,
    status: i % 3 === 0 ? 'closed' : 'open',
    priority: i % 4 === 0 ? 'high' : 'low',
  }));
  const group: APIGroup = {
    name: 'tickets',
    type: 'custom',
    description: 'Support desk tickets',
    functions: [
      {
        name: 'list',
        description: 'List support tickets, optionally filtered by status',
        inputSchema: {
          type: 'object',
          properties: { status: { type: 'string', enum: ['open', 'closed'] } },
        },
        outputSchema: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              title: { type: 'string' },
              status: { type: 'string' },
              priority: { type: 'string' },
            },
            required: ['id', 'title', 'status', 'priority'],
          },
        },
        metadata: { operationType: 'read' },
        handler: async (input: { status?: string }) => {
          calls.list++;
          return tickets.filter((ticket) => !input?.status || ticket.status === input.status);
        },
      },
      {
        name: 'get',
        description: 'Get one ticket by id',
        inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        metadata: { operationType: 'read' },
        handler: async (input: { id: string }) => {
          calls.get++;
          const ticket = tickets.find((candidate) => candidate.id === input.id);
          if (!ticket)
            throw Object.assign(new Error(`Ticket ${input.id} not found`), {
              code: 'NOT_FOUND',
              status: 404,
            });
          return ticket;
        },
      },
      {
        name: 'close',
        description: 'Close a ticket',
        inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        metadata: { operationType: 'write' },
        handler: async (input: { id: string }) => {
          calls.close++;
          const ticket = tickets.find((candidate) => candidate.id === input.id);
          if (ticket) ticket.status = 'closed';
          return { id: input.id, closed: true };
        },
      },
      {
        name: 'wait',
        description: 'Wait for some milliseconds (a slow upstream)',
        inputSchema: { type: 'object', properties: { ms: { type: 'number' } }, required: ['ms'] },
        metadata: { operationType: 'read' },
        handler: async (input: { ms: number }) => {
          calls.wait++;
          await new Promise((resolve) => setTimeout(resolve, input.ms));
          return { waited: input.ms };
        },
      },
    ],
  };
  return { group, calls, tickets };
}
