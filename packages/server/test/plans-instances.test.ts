import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { MemoryCache } from '@agent-tool-protocol/protocol';
import { createServer } from '@agent-tool-protocol/server';
import { recordsApi } from './support/records-api';

describe('plans across server instances', () => {
  it('a plan made on one instance is approved and enforced on another sharing the cache', async () => {
    const cache = new MemoryCache();
    const api = recordsApi(3);
    const servers = [0, 1].map(() =>
      createServer({
        auth: { jwtSecret: 'shared-secret-for-two-instances' },
        execution: { isolatePoolSize: 1 },
      })
        .addAPIGroup(api.group)
        .setCacheProvider(cache),
    );
    try {
      for (const server of servers) await server.listen(0);
      // One client whose requests go to instance A, then to instance B (as behind a load balancer).
      let target = servers[0]!.url!;
      const client = new AgentToolProtocolClient({
        baseUrl: 'http://balancer.invalid',
        fetch: (input, init) => fetch(String(input).replace('http://balancer.invalid', target), init),
      });
      await client.init();
      const plan = await client.plan("return await api.records.update({ id: 'R-2', tier: 'pro' });");
      expect(api.calls.update).toBe(0);
      target = servers[1]!.url!;
      const run = await client.execute("return await api.records.update({ id: 'R-2', tier: 'pro' });", {
        approvedPlan: plan.planId,
      });
      expect(run).toMatchObject({ status: 'completed', result: { id: 'R-2', updated: true, version: 2 } });
      expect(api.calls.update).toBe(1);
      expect(await client.getPlan(plan.planId)).toMatchObject({
        status: 'used',
        approvedExecutionId: run.executionId,
      });
    } finally {
      await Promise.all(servers.map((server) => server.shutdown(1000)));
    }
  });
});
