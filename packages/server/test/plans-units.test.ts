import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { canonicalJson, MemoryCache } from '@agent-tool-protocol/protocol';
import { createServer } from '@agent-tool-protocol/server';
import { synthesizeFromSchema } from '../src/plans/synthesize';
import { recordsApi } from './support/records-api';

describe('canonicalJson', () => {
  it('ignores key order and undefined members at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: undefined, w: 3 }], c: 'x' } })).toBe(
      canonicalJson({ a: { c: 'x', d: [1, { w: 3, y: 2 }] }, b: 1 }),
    );
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
    expect(canonicalJson(undefined)).toBe('null');
  });
});

describe('synthesizeFromSchema', () => {
  it('builds the smallest value with required fields, honouring default/const/enum/formats/minimums', () => {
    const schema = {
      type: 'object',
      properties: {
        id: { type: 'string' },
        status: { type: 'string', enum: ['queued', 'done'] },
        at: { type: 'string', format: 'date-time' },
        count: { type: 'integer', minimum: 3 },
        ok: { const: true },
        tags: { type: 'array', items: { type: 'string' } },
        owner: { $ref: '#/$defs/User' },
        retries: { type: 'integer', default: 5 },
        optional: { type: 'string' },
        either: { anyOf: [{ type: 'null' }, { type: 'number' }] },
      },
      required: ['id', 'status', 'at', 'count', 'ok', 'tags', 'owner', 'retries', 'either'],
    };
    const definitions = {
      User: { type: 'object', properties: { login: { type: 'string', minLength: 2 } }, required: ['login'] },
    };
    expect(synthesizeFromSchema(schema, definitions, { id: 'T-9', count: 'not a number' })).toEqual({
      id: 'T-9',
      status: 'queued',
      at: '1970-01-01T00:00:00.000Z',
      count: 3,
      ok: true,
      tags: [],
      owner: { login: 'xx' },
      retries: 5,
      either: 0,
    });
    expect(synthesizeFromSchema(undefined)).toEqual({});
    expect(synthesizeFromSchema({ type: 'array', minItems: 2, items: { type: 'boolean' } })).toEqual([
      false,
      false,
    ]);
    // A self-referencing schema stops at the depth limit instead of recursing forever.
    const tree = {
      $defs: {
        Node: { type: 'object', properties: { child: { $ref: '#/$defs/Node' } }, required: ['child'] },
      },
      $ref: '#/$defs/Node',
    };
    expect(JSON.stringify(synthesizeFromSchema(tree))).toContain('"child":null');
  });
});

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
