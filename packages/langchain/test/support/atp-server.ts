import type { APIGroup, ToolCallContext, ToolCallDecision } from '@agent-tool-protocol/protocol';
import { createServer } from '@agent-tool-protocol/server';

export interface Ticket {
  id: string;
  title: string;
  status: 'open' | 'closed';
  priority: 'low' | 'high';
}

/** A small help-desk API group; `closed` records every close so tests can count side effects. */
export function helpDesk() {
  const tickets: Ticket[] = Array.from({ length: 40 }, (_, index) => ({
    id: `T-${index + 1}`,
    title: index % 3 === 0 ? `Refund request #${index + 1}` : `Login problem #${index + 1}`,
    status: index % 4 === 0 ? 'closed' : 'open',
    priority: index % 5 === 0 ? 'high' : 'low',
  }));
  const closed: string[] = [];
  const group: APIGroup = {
    name: 'desk',
    type: 'custom',
    description: 'Help desk tickets',
    functions: [
      {
        name: 'tickets.list',
        description: 'List support tickets, optionally only those with a status',
        inputSchema: { type: 'object', properties: { status: { type: 'string', enum: ['open', 'closed'] } } },
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
          },
        },
        handler: (input: { status?: string }) =>
          tickets.filter((t) => !input?.status || t.status === input.status),
      },
      {
        name: 'tickets.close',
        description: 'Close a support ticket (needs approval)',
        inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        metadata: { operationType: 'destructive' },
        handler: (input: { id: string }) => {
          closed.push(input.id);
          const ticket = tickets.find((t) => t.id === input.id);
          if (ticket) ticket.status = 'closed';
          return { id: input.id, status: 'closed' };
        },
      },
      {
        name: 'secrets.read',
        description: 'Read an internal secret (always blocked by policy)',
        inputSchema: { type: 'object', properties: {} },
        handler: () => 'top secret',
      },
    ],
  };
  return { group, tickets, closed };
}

/** A real ATP server over HTTP on a free port, with the help desk and a small policy hook. */
export async function startATPServer() {
  const desk = helpDesk();
  const server = createServer({
    auth: { jwtSecret: 'langchain-tests-secret-0123456789' },
    execution: {
      isolatePoolSize: 1,
      llmCalls: 20,
      hooks: {
        beforeToolCall: ({ path, input }: ToolCallContext): ToolCallDecision => {
          if (path.endsWith('secrets.read'))
            return { action: 'block', reason: 'secrets never leave the desk', policy: 'no-secrets' };
          if (path.endsWith('tickets.close'))
            return { action: 'approve', message: `Close ticket ${(input as { id: string }).id}?` };
          return { action: 'allow' };
        },
      },
    },
  });
  server.addAPIGroup(desk.group);
  await server.listen(0);
  return { url: server.url!, desk, close: () => server.shutdown(1000) };
}
