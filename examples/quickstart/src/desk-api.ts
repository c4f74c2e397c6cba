import type { APIGroup } from '@agent-tool-protocol/protocol';
import { createDeskData, type Ticket } from './data.ts';

const ticketSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'string', enum: ['open', 'pending', 'closed'] },
    priority: { type: 'string', enum: ['low', 'normal', 'high', 'urgent'] },
    requesterEmail: { type: 'string' },
    assigneeId: { type: ['string', 'null'] },
    tags: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'title', 'status', 'priority', 'requesterEmail', 'assigneeId', 'tags', 'createdAt'],
};
const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    email: { type: 'string' },
    team: { type: 'string', enum: ['billing', 'technical', 'accounts'] },
  },
  required: ['id', 'name', 'email', 'team'],
};
const commentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    ticketId: { type: 'string' },
    authorId: { type: 'string' },
    body: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'ticketId', 'authorId', 'body', 'createdAt'],
};

function notFound(what: string): Error {
  return Object.assign(new Error(`${what} was not found`), { code: 'NOT_FOUND', status: 404 });
}

/** The support desk as one ATP API group: `api.desk.tickets.search(...)`, `api.desk.users.get(...)`, … */
export function createDeskAPI(): APIGroup {
  const data = createDeskData();
  return {
    name: 'desk',
    type: 'custom',
    description: 'Support desk: tickets, the agents who work them, and ticket comments',
    functions: [
      {
        name: 'tickets.search',
        description: 'Search tickets by status, priority, assignee or tag (all filters optional)',
        inputSchema: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: ['open', 'pending', 'closed'] },
            priority: { type: 'string', enum: ['low', 'normal', 'high', 'urgent'] },
            assigneeId: { type: 'string', description: 'User id of the assignee' },
            tag: { type: 'string' },
          },
        },
        outputSchema: { type: 'array', items: ticketSchema },
        metadata: { operationType: 'read' },
        handler: (input: Partial<Pick<Ticket, 'status' | 'priority' | 'assigneeId'>> & { tag?: string }) =>
          data.tickets.filter(
            (ticket) =>
              (!input?.status || ticket.status === input.status) &&
              (!input?.priority || ticket.priority === input.priority) &&
              (!input?.assigneeId || ticket.assigneeId === input.assigneeId) &&
              (!input?.tag || ticket.tags.includes(input.tag)),
          ),
      },
      {
        name: 'tickets.get',
        description: 'Get one ticket by id',
        inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        outputSchema: ticketSchema,
        metadata: { operationType: 'read' },
        handler: (input: { id: string }) => {
          const ticket = data.tickets.find((candidate) => candidate.id === input.id);
          if (!ticket) throw notFound(`Ticket ${input.id}`);
          return ticket;
        },
      },
      {
        name: 'tickets.update',
        description: 'Change a ticket status, priority or assignee',
        inputSchema: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            status: { type: 'string', enum: ['open', 'pending', 'closed'] },
            priority: { type: 'string', enum: ['low', 'normal', 'high', 'urgent'] },
            assigneeId: { type: 'string' },
          },
          required: ['id'],
        },
        outputSchema: ticketSchema,
        metadata: { operationType: 'write' },
        handler: (input: { id: string } & Partial<Ticket>) => {
          const ticket = data.tickets.find((candidate) => candidate.id === input.id);
          if (!ticket) throw notFound(`Ticket ${input.id}`);
          if (input.status) ticket.status = input.status;
          if (input.priority) ticket.priority = input.priority;
          if (input.assigneeId) ticket.assigneeId = input.assigneeId;
          return ticket;
        },
      },
      {
        name: 'users.list',
        description: 'List support agents, optionally for one team',
        inputSchema: {
          type: 'object',
          properties: { team: { type: 'string', enum: ['billing', 'technical', 'accounts'] } },
        },
        outputSchema: { type: 'array', items: userSchema },
        metadata: { operationType: 'read' },
        handler: (input: { team?: string }) =>
          data.users.filter((user) => !input?.team || user.team === input.team),
      },
      {
        name: 'users.get',
        description: 'Get one support agent by id',
        inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        outputSchema: userSchema,
        metadata: { operationType: 'read' },
        handler: (input: { id: string }) => {
          const user = data.users.find((candidate) => candidate.id === input.id);
          if (!user) throw notFound(`User ${input.id}`);
          return user;
        },
      },
      {
        name: 'comments.list',
        description: 'List the comments on a ticket, oldest first',
        inputSchema: { type: 'object', properties: { ticketId: { type: 'string' } }, required: ['ticketId'] },
        outputSchema: { type: 'array', items: commentSchema },
        metadata: { operationType: 'read' },
        handler: (input: { ticketId: string }) =>
          data.comments
            .filter((comment) => comment.ticketId === input.ticketId)
            .sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
      },
    ],
  };
}
