// An agent's side: discover the support-desk API, then run code that does the work in the sandbox.
import { AgentToolProtocolClient } from '@agent-tool-protocol/client';

const baseUrl = process.env.ATP_URL ?? 'http://127.0.0.1:3333';
const client = new AgentToolProtocolClient({ baseUrl });

// A stand-in LLM so the demo runs offline; plug in a real model the same way.
client.provideLLM({
  call: async (prompt) => (prompt.toLowerCase().includes('refund') ? 'billing' : 'technical'),
});
await client.init({ name: 'quickstart-demo' });

const found = await client.searchQuery('search tickets by status and priority');
console.log(
  'search →',
  found
    .slice(0, 3)
    .map((hit) => `${hit.apiGroup}.${hit.functionName}`)
    .join(', '),
);

const snippets: Array<[string, string]> = [
  [
    'Urgent open tickets per assignee (filtering happens in the sandbox, not in the model context)',
    `
    const urgent = await api.desk.tickets.search({ status: 'open', priority: 'urgent' });
    const users = await api.desk.users.list({});
    const byId = Object.fromEntries(users.map((u) => [u.id, u.name]));
    const counts = {};
    for (const t of urgent) {
      const who = t.assigneeId ? byId[t.assigneeId] : 'unassigned';
      counts[who] = (counts[who] ?? 0) + 1;
    }
    return { urgentOpen: urgent.length, byAssignee: counts };
    `,
  ],
  [
    'Latest comment on the five newest VIP tickets, fetched in parallel',
    `
    const vip = (await api.desk.tickets.search({ tag: 'vip' })).slice(-5);
    const threads = await Promise.all(vip.map((t) => api.desk.comments.list({ ticketId: t.id })));
    return vip.map((t, i) => ({ id: t.id, comments: threads[i].length, last: threads[i].at(-1)?.body ?? null }));
    `,
  ],
  [
    'Route three unassigned tickets with the client LLM (one pause, three callbacks)',
    `
    const unassigned = (await api.desk.tickets.search({ status: 'open' })).filter((t) => !t.assigneeId).slice(0, 3);
    const teams = await Promise.all(unassigned.map((t) => atp.llm.call('Which team handles: ' + t.title + '?')));
    return unassigned.map((t, i) => ({ id: t.id, title: t.title, team: teams[i] }));
    `,
  ],
];

for (const [title, code] of snippets) {
  const result = await client.execute(code);
  console.log(
    `\n# ${title}\nstatus: ${result.status} (${result.stats.duration} ms, ${result.stats.toolCallsCount ?? 0} API calls)`,
  );
  console.log(JSON.stringify(result.status === 'completed' ? result.result : result.error, null, 2));
}
