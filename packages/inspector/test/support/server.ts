import { createServer, type ServerConfigInput } from '@agent-tool-protocol/server';

export const TEST_SECRET = 'inspector-test-secret-long-enough';

/** A support-desk API group whose calls the tests can observe. */
export function deskGroup() {
  const refunds: string[] = [];
  return {
    refunds,
    group: {
      name: 'desk',
      type: 'custom' as const,
      description: 'Support desk',
      functions: [
        {
          name: 'tickets.search',
          description: 'Search support tickets by text',
          inputSchema: { type: 'object', properties: { query: { type: 'string' } } },
          handler: async (input: { query?: string }) => [
            { id: 'T-1', subject: `About ${input.query ?? 'nothing'}` },
          ],
        },
        {
          name: 'orders.refund',
          description: 'Refund an order to the customer',
          inputSchema: {
            type: 'object',
            properties: { orderId: { type: 'string' }, amount: { type: 'number' } },
            required: ['orderId'],
          },
          handler: async (input: { orderId: string; amount?: number }) => {
            refunds.push(input.orderId);
            return { refunded: true, orderId: input.orderId, amount: input.amount ?? 0 };
          },
        },
      ],
    },
  };
}

/** A real ATP server on a free port, with the desk group. */
export async function startAtpServer(config: ServerConfigInput = {}) {
  const desk = deskGroup();
  const server = createServer({
    auth: { jwtSecret: TEST_SECRET },
    logger: { level: 'silent' },
    ...config,
    execution: { isolatePoolSize: 1, ...config.execution },
  });
  server.addAPIGroup(desk.group);
  await server.listen(0);
  return { server, url: server.url as string, desk, close: () => server.shutdown(1000) };
}
