// Plan, then approve once. One command: starts an ATP server with a CRM API whose writes need
// approval, then plays the agent and the person approving. Run: node --no-node-snapshot src/main.ts
import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { createServer } from '@agent-tool-protocol/server';
import { crmApi } from './crm-api.ts';

const crm = crmApi();
const server = createServer({
  auth: { jwtSecret: 'plans-example-secret-change-me' },
  logger: { level: 'silent' },
  execution: {
    // Code is checked against the API's types before it runs (docs/typecheck.md).
    typecheck: 'enforce',
    // The policy: every write or destructive call needs a person's approval.
    hooks: {
      beforeToolCall: (call) =>
        call.metadata.operationType === 'read'
          ? { action: 'allow' }
          : { action: 'approve', message: `${call.path} changes customer data` },
    },
  },
  // A write outside the approved plan asks for approval again (or 'fail' to refuse it outright).
  plans: { onUnplannedEffect: 'approve' },
});
server.addAPIGroup(crm.group);
await server.listen(0);

// The person approving: counts every question and approves all of them (a real UI would ask).
let approvals = 0;
const client = new AgentToolProtocolClient({ baseUrl: server.url! }).provideApproval(async (message) => {
  approvals++;
  return message.includes('delete')
    ? { approved: false, reason: 'deletes are never approved here' }
    : { approved: true };
});
await client.init({ name: 'plans-example' });

const agentCode = `
const free = await api.crm.customers.list({ plan: 'free' });
const upgraded = [];
for (const customer of free) {
  const result = await api.crm.customers.update({ id: customer.id, plan: 'pro' });
  upgraded.push(result.id);
}
return { upgraded: upgraded.length };
`;

// 0. A typo is caught before an isolate is spent.
const typo = await client.execute(agentCode.replace('customers.list', 'customer.list'));
console.log(`typecheck: ${typo.status} (${typo.error?.code})\n  ${typo.error?.message.split('\n')[1]}`);

// 1. Without a plan: one approval per write.
const direct = await client.execute(agentCode);
console.log(
  `without a plan: ${direct.status}, ${JSON.stringify(direct.result)}, approvals asked: ${approvals}`,
);
for (const customer of crm.customers) customer.plan = 'free';

// 2. With a plan: writes are recorded, not performed; the person approves the list once.
approvals = 0;
const writesBefore = crm.writes.length;
const plan = await client.plan(agentCode);
console.log(
  `plan ${plan.planId.slice(0, 13)}…: ${plan.effects.length} effects, ${crm.writes.length - writesBefore} performed while planning`,
);
console.log(
  `  first: ${plan.effects[0]?.path} ${JSON.stringify(plan.effects[0]?.input)} (${plan.effects[0]?.reason})`,
);
approvals++; // the one decision: a person reviews the 50 effects and approves the plan
const approved = await client.execute(agentCode, { approvedPlan: plan.planId });
console.log(
  `with a plan: ${approved.status}, ${JSON.stringify(approved.result)}, approvals asked: ${approvals}, ` +
    `pro customers: ${crm.customers.filter((customer) => customer.plan === 'pro').length}`,
);

// 3. The approved run may do only what was approved: an extra delete asks again (and is denied here).
const second = await client.plan("return await api.crm.customers.update({ id: 'C-001', plan: 'free' });");
const sneaky = await client.execute(
  `await api.crm.customers.update({ id: 'C-001', plan: 'free' });
   try { await api.crm.customers.delete({ id: 'C-002' }); return 'deleted'; }
   catch (error) { return error.message; }`,
  { approvedPlan: second.planId },
);
console.log(`unplanned effect: ${sneaky.result}`);

await server.shutdown(1000);
