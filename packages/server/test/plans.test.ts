import { AgentToolProtocolClient, ATPClientError } from '@agent-tool-protocol/client';
import type { AuditEvent } from '@agent-tool-protocol/protocol';
import { createServer, type ServerConfigInput } from '@agent-tool-protocol/server';
import { recordsApi } from './support/records-api';

const SECRET = 'plans-test-secret-long-enough';

async function start(config: ServerConfigInput = {}) {
  const api = recordsApi(50);
  const audit: AuditEvent[] = [];
  const server = createServer({
    auth: { jwtSecret: SECRET },
    execution: { isolatePoolSize: 1 },
    audit: { enabled: true, sinks: [{ name: 'memory', write: (event) => void audit.push(event) }] },
    ...config,
  });
  server.addAPIGroup(api.group);
  await server.listen(0);
  const client = async (setup?: (client: AgentToolProtocolClient) => void) => {
    const created = new AgentToolProtocolClient({ baseUrl: server.url! });
    setup?.(created);
    await created.init();
    return created;
  };
  return { server, api, audit, client, close: () => server.shutdown(1000) };
}

const BULK_UPGRADE = `
const free = await api.records.list({ tier: 'free' });
const results = [];
for (const record of free) {
  const updated = await api.records.update({ id: record.id, tier: 'pro' });
  results.push(updated.id + '@v' + updated.version);
}
return { upgraded: results.length, first: results[0] };
`;

describe('plan, then approve once', () => {
  let h: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    h = await start();
  });
  afterAll(() => h.close());

  it('records every write instead of performing it, running reads for real', async () => {
    const client = await h.client();
    const before = { ...h.api.calls };
    const plan = await client.plan(BULK_UPGRADE);
    expect(plan.status).toBe('completed');
    expect(plan.planId).toMatch(/^plan_/);
    expect(plan.effects).toHaveLength(50);
    expect(plan.effects[0]).toEqual({
      path: 'api.records.update',
      input: { id: 'R-1', tier: 'pro' },
      operationType: 'write',
      reason: 'write operation',
    });
    // Write results come from the output schema: required fields, const, minimum.
    expect(plan.result).toEqual({ upgraded: 50, first: 'R-1@v1' });
    expect(h.api.calls.update).toBe(before.update);
    expect(h.api.calls.list).toBe(before.list + 1);
    expect(h.api.records.every((record) => record.tier === 'free')).toBe(true);
    const stored = await client.getPlan(plan.planId);
    expect(stored).toMatchObject({ status: 'ready', executionStatus: 'completed' });
    expect(stored.effects).toHaveLength(50);
  });

  it('performs exactly the approved effects with one approval for 50 writes', async () => {
    const asked: string[] = [];
    const client = await h.client((c) =>
      c.provideApproval(async (message) => {
        asked.push(message);
        return { approved: true };
      }),
    );
    const plan = await client.plan(BULK_UPGRADE);
    const before = h.api.calls.update;
    const run = await client.execute(BULK_UPGRADE, { approvedPlan: plan.planId });
    expect(run.status).toBe('completed');
    expect(run.result).toEqual({ upgraded: 50, first: 'R-1@v2' });
    expect(h.api.calls.update - before).toBe(50);
    expect(asked).toEqual([]);
    expect((run as { approvedPlan?: string }).approvedPlan).toBe(plan.planId);
    const decided = h.audit.filter((event) => event.type === 'plan_decided' && event.planId === plan.planId);
    expect(decided).toEqual([
      expect.objectContaining({ approved: true, executionId: run.executionId, effects: 50 }),
    ]);
    const created = h.audit.find((event) => event.type === 'plan_created' && event.planId === plan.planId);
    if (created?.type !== 'plan_created') throw new Error('no plan_created audit event');
    expect(created.status).toBe('completed');
    expect(created.effects).toHaveLength(50);
    // Reset for the other tests.
    for (const record of h.api.records) record.tier = 'free';
  });

  it('asks for approval of a write the plan does not hold, or holds with other arguments', async () => {
    const asked: { message: string; context: unknown }[] = [];
    const client = await h.client((c) =>
      c.provideApproval(async (message, context) => {
        asked.push({ message, context });
        return { approved: false, reason: 'not in the plan' };
      }),
    );
    const plan = await client.plan("return await api.records.update({ id: 'R-1', tier: 'pro' });");
    const before = h.api.calls.update;
    const run = await client.execute(
      `await api.records.update({ tier: 'pro', id: 'R-1' });
       try { await api.records.update({ id: 'R-2', tier: 'pro' }); return 'performed'; }
       catch (error) { return error.message; }`,
      { approvedPlan: plan.planId },
    );
    expect(run.status).toBe('completed');
    expect(run.result).toMatch(/Approval for api\.records\.update was denied: not in the plan/);
    expect(h.api.calls.update - before).toBe(1);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.message).toMatch(/api\.records\.update needs approval: it is not in the approved plan/);
    expect(asked[0]!.context).toMatchObject({
      path: 'api.records.update',
      input: { id: 'R-2', tier: 'pro' },
    });
    expect(h.audit).toContainEqual(
      expect.objectContaining({ type: 'plan_unplanned_effect', planId: plan.planId, action: 'approve' }),
    );
    h.api.records[0]!.tier = 'free';
  });

  it('allows a planned effect only as many times as it was planned', async () => {
    const client = await h.client();
    const code = "await api.records.update({ id: 'R-3', tier: 'pro' });";
    const plan = await client.plan(code);
    const before = h.api.calls.update;
    // No approval service and no onApproval: the second, unplanned copy is blocked (fail closed).
    const run = await client.execute(`${code}\n${code}\nreturn 'twice';`, { approvedPlan: plan.planId });
    expect(run.status).toBe('security_violation');
    expect(run.error?.message).toMatch(/holds it fewer times/);
    expect(h.api.calls.update - before).toBe(1);
    h.api.records[2]!.tier = 'free';
  });

  it('plans are single-use, belong to their client, and can be rejected', async () => {
    const client = await h.client();
    const other = await h.client();
    const plan = await client.plan("return await api.records.remove({ id: 'R-50' });");
    expect(plan.effects).toEqual([
      {
        path: 'api.records.remove',
        input: { id: 'R-50' },
        operationType: 'destructive',
        policy: 'destructive-operation',
        reason: 'destructive operation',
      },
    ]);
    // A destructive call without an output schema returns `{}` while planning.
    expect(plan.result).toEqual({});
    await expect(other.execute('return 1;', { approvedPlan: plan.planId })).rejects.toMatchObject({
      status: 404,
    });
    const run = await client.execute("return await api.records.remove({ id: 'R-50' });", {
      approvedPlan: plan.planId,
    });
    expect(run.result).toEqual({ removed: true });
    const again = client.execute('return 1;', { approvedPlan: plan.planId });
    await expect(again).rejects.toBeInstanceOf(ATPClientError);
    await expect(again).rejects.toMatchObject({ status: 409 });

    const second = await client.plan("return await api.records.remove({ id: 'R-49' });");
    const rejected = await client.rejectPlan(second.planId, 'too risky');
    expect(rejected.status).toBe('rejected');
    await expect(client.execute('return 1;', { approvedPlan: second.planId })).rejects.toMatchObject({
      status: 409,
    });
    expect(h.audit).toContainEqual(
      expect.objectContaining({
        type: 'plan_decided',
        planId: second.planId,
        approved: false,
        reason: 'too risky',
      }),
    );
    expect(h.api.records.some((record) => record.id === 'R-49')).toBe(true);
  });

  it('uses explicit stubs and keeps planning across client callbacks', async () => {
    const client = await h.client((c) => c.provideLLM({ call: async (prompt) => `tier for ${prompt}: pro` }));
    const plan = await client.plan(
      `const answer = await atp.llm.call('R-7');
       const tier = answer.endsWith('pro') ? 'pro' : 'free';
       const out = await api.records.update({ id: 'R-7', tier });
       return out;`,
      { stubs: { 'records.update': { id: 'stubbed', updated: true, version: 42 } } },
    );
    expect(plan.status).toBe('completed');
    expect(plan.result).toEqual({ id: 'stubbed', updated: true, version: 42 });
    expect(plan.effects).toEqual([
      expect.objectContaining({ path: 'api.records.update', input: { id: 'R-7', tier: 'pro' } }),
    ]);
    expect((await client.getPlan(plan.planId)).status).toBe('ready');
  });
});

describe('plans configuration', () => {
  it("onUnplannedEffect: 'fail' ends the run as a security violation", async () => {
    const h = await start({ plans: { onUnplannedEffect: 'fail' } });
    try {
      const client = await h.client((c) => c.provideApproval(async () => ({ approved: true })));
      const plan = await client.plan("await api.records.update({ id: 'R-1', tier: 'pro' });");
      const run = await client.execute("await api.records.update({ id: 'R-1', tier: 'free' });", {
        approvedPlan: plan.planId,
      });
      expect(run.status).toBe('security_violation');
      expect(run.error?.message).toMatch(/policy approved-plan/);
      expect(h.api.calls.update).toBe(0);
    } finally {
      await h.close();
    }
  });

  it("reads: 'stub' plans without calling anything; policy approvals become the effect's reason", async () => {
    const h = await start({
      plans: { reads: 'stub' },
      execution: {
        isolatePoolSize: 1,
        hooks: {
          beforeToolCall: (context) =>
            context.metadata.operationType === 'destructive'
              ? { action: 'approve', message: 'deleting customers needs a manager', policy: 'managers' }
              : { action: 'allow' },
        },
      },
    });
    try {
      const client = await h.client();
      const plan = await client.plan(
        "const rows = await api.records.list(); await api.records.remove({ id: 'R-1' }); return rows;",
      );
      expect(plan.result).toEqual([]);
      expect(h.api.calls.list).toBe(0);
      expect(plan.effects).toEqual([
        {
          path: 'api.records.remove',
          input: { id: 'R-1' },
          operationType: 'destructive',
          reason: 'deleting customers needs a manager; destructive operation',
          policy: 'managers',
        },
      ]);
      // The approved run allows the planned call although the policy would ask for approval.
      const run = await client.execute("return await api.records.remove({ id: 'R-1' });", {
        approvedPlan: plan.planId,
      });
      expect(run.result).toEqual({ removed: true });
    } finally {
      await h.close();
    }
  });
});
