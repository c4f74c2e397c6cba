import type { APIGroup } from '@agent-tool-protocol/protocol';

/**
 * The APIs the blog's agent code calls (`api.email`, `api.news`, `api.crm`, …), as local custom groups with
 * deterministic data in the shapes the code expects. Every call is recorded.
 */
export function blogAPIs(): { groups: APIGroup[]; calls: Array<{ fn: string; input: unknown }> } {
  const calls: Array<{ fn: string; input: unknown }> = [];
  const group = (name: string, functions: Record<string, (input: any) => unknown>): APIGroup => ({
    name,
    type: 'custom',
    functions: Object.entries(functions).map(([fn, handler]) => ({
      name: fn,
      handler: async (input: unknown) => {
        calls.push({ fn: `${name}.${fn}`, input });
        return handler(input);
      },
    })),
  });
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  return {
    calls,
    groups: [
      group('feedback', {
        list: ({ limit }) =>
          range(limit).map((i) => ({ id: i, message: `Feedback ${i}: the export is slow` })),
      }),
      group('email', {
        list: ({ limit }) =>
          range(limit).map((i) => ({
            id: i,
            subject: `Ticket ${i}`,
            assignee: i % 16 === 0 && i < 192 ? 'sarah@company.com' : `agent${i % 7}@company.com`,
          })),
        send: () => ({ sent: true }),
      }),
      group('news', {
        fetchLatest: ({ limit }) =>
          range(limit).map((i) => ({ id: i, title: `Article ${i}`, content: `Tech news number ${i}` })),
      }),
      group('slack', { postMessage: () => ({ ok: true }) }),
      group('crm', {
        getCustomers: ({ limit }) => range(limit).map((i) => ({ id: i, domain: `company${i}.com` })),
        batchUpdate: (records) => ({ updated: Array.isArray(records) ? records.length : -1 }),
      }),
      group('clearbit', { enrich: ({ domain }) => ({ company: domain.split('.')[0], employees: 50 }) }),
      group('stripe', { getSales: () => ({ total: 125_000 }) }),
      group('zendesk', { getTickets: () => range(42).map((i) => ({ id: i })) }),
      group('mixpanel', { getEvents: () => ({ uniqueUsers: 3_100 }) }),
      group('github', {
        listPRs: () =>
          range(6).map((i) => ({ number: 100 + i, checks: i % 3 === 2 ? 'failing' : 'passing' })),
        getDiff: ({ prNumber }) => `diff --git a/file${prNumber}.ts (concern: missing test)`,
        postComment: () => ({ ok: true }),
      }),
    ],
  };
}
