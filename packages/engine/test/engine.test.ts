import { type ATPEngine, createEngine } from '@agent-tool-protocol/engine';
import { type AuditEvent, MemoryCache } from '@agent-tool-protocol/protocol';
import { inventory } from './support/inventory';

const SECRET = 'engine-test-secret-0123456789';

describe('the engine in-process, without HTTP', () => {
  let engine: ATPEngine;
  let stock: ReturnType<typeof inventory>;
  const audit: AuditEvent[] = [];
  const cache = new MemoryCache();

  beforeAll(() => {
    stock = inventory();
    engine = createEngine({
      auth: { jwtSecret: SECRET },
      cache,
      execution: { isolatePoolSize: 0 },
      audit: { enabled: true, sinks: [{ name: 'memory', write: (event) => void audit.push(event) }] },
      apiGroups: [stock.group],
    });
  });
  afterAll(() => engine.shutdown(100));

  it('runs the whole loop: init, execute, pause for the client LLM, resume', async () => {
    const { clientId, token } = await engine.init({ services: { hasLLM: true } });
    expect((await engine.authenticate(`Bearer ${token}`, clientId)).clientId).toBe(clientId);
    const paused = await engine.execute(clientId, {
      code: `
        const items = await api.inventory.list({});
        const empty = items.filter((entry) => entry.count === 0).map((entry) => entry.item);
        return await atp.llm.call('reorder ' + empty.join(','));
      `,
    });
    expect(paused.status).toBe('paused');
    expect(paused.needsCallbacks?.[0]).toMatchObject({ type: 'llm', operation: 'call' });
    const done = await engine.resume(clientId, paused.executionId, {
      result: 'ok: pears',
      usage: { inputTokens: 5, outputTokens: 2 },
    });
    expect(done).toMatchObject({ status: 'completed', result: 'ok: pears' });
    expect(done.stats).toMatchObject({
      toolCallsCount: 1,
      llmCallsCount: 1,
      inputTokens: 5,
      outputTokens: 2,
    });
    expect(stock.calls.list).toBe(1);

    // Sessions live in the cache given in the config.
    expect(await cache.get(`atp:session:${clientId}`)).toMatchObject({ clientId });
    const [summary] = await engine.recentExecutions(clientId);
    expect(summary).toMatchObject({ executionId: done.executionId, status: 'completed', pauses: 1 });
  });

  it('audits the execution as a typed union: its start, its pause and its end with its cost', async () => {
    const { clientId } = await engine.init({ services: { hasLLM: true } });
    const result = await engine.execute(clientId, { code: 'return (await api.inventory.list({})).length' });
    const mine = audit.filter((event) => 'executionId' in event && event.executionId === result.executionId);
    expect(mine.map((event) => event.type)).toEqual(['execution_start', 'tool_call', 'execution_complete']);
    const ended = mine.at(-1);
    if (ended?.type !== 'execution_complete') throw new Error('expected execution_complete');
    expect(ended).toMatchObject({ clientId, status: 'completed', toolCallsCount: 1, pauses: 0 });
    expect(ended.bytesReturned).toBeGreaterThan(0);
    expect(audit.find((event) => event.type === 'client_init' && event.clientId === clientId)).toMatchObject({
      services: { hasLLM: true },
      tools: 0,
    });
  });

  it('plans a write without performing it, then performs exactly the approved plan', async () => {
    const { clientId } = await engine.init({});
    const code = "return await api.inventory.restock({ item: 'pears', count: 4 });";
    const plan = await engine.plan(clientId, { code });
    expect(plan).toMatchObject({ status: 'completed', effects: [{ path: 'api.inventory.restock' }] });
    expect(stock.calls.restock).toBe(0);
    const run = await engine.execute(clientId, { code, config: { approvedPlan: plan.planId } });
    expect(run).toMatchObject({ status: 'completed', result: { item: 'pears', count: 4 } });
    expect(stock.calls.restock).toBe(1);
    expect(await engine.getPlan(clientId, plan.planId)).toMatchObject({ status: 'used' });
  });

  it('denies a destructive call when nobody can approve it (the security layer is on by default)', async () => {
    const { clientId } = await engine.init({});
    const result = await engine.execute(clientId, { code: 'return await api.inventory.discard({})' });
    expect(result.status).toBe('security_violation');
    expect(stock.calls.discard).toBe(0);
  });

  it('refuses a malformed token and a client that never called init', async () => {
    await expect(engine.authenticate('Bearer not-a-token', undefined)).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(engine.execute('cli_unknown', { code: 'return 1' })).rejects.toThrow(/call init again/);
  });
});

describe('engine configuration', () => {
  it('is validated once, with messages naming the bad field', () => {
    expect(() => createEngine({ execution: { timeout: -1 } })).toThrow(/engine config: execution\.timeout/);
    expect(() => createEngine({ cache: {} as never })).toThrow(/cache: must be a CacheProvider/);
    expect(() => createEngine({ auth: { provider: { name: 'x' } as never } })).toThrow(
      /auth\.provider: must be an AuthProvider/,
    );
  });

  it('lists every execution at once, and writes its history before shutdown ends', async () => {
    const shared = new MemoryCache();
    const first = createEngine({
      auth: { jwtSecret: SECRET },
      cache: shared,
      execution: { isolatePoolSize: 0 },
    });
    const second = createEngine({
      auth: { jwtSecret: SECRET },
      cache: shared,
      execution: { isolatePoolSize: 0 },
    });
    try {
      const { clientId } = await first.init({});
      const ids: string[] = [];
      for (let i = 0; i < 5; i++)
        ids.push((await first.execute(clientId, { code: `return ${i}` })).executionId);
      // The instance that ran them lists them all right away, newest first.
      expect((await first.recentExecutions(clientId)).map((entry) => entry.executionId)).toEqual(
        [...ids].reverse(),
      );
      const last = (await first.execute(clientId, { code: 'return 5' })).executionId;
      await first.shutdown(100);
      // Another instance sharing the store sees the last one too: shutdown wrote what was waiting.
      const listed = await second.recentExecutions(clientId);
      expect(listed.map((entry) => entry.executionId)).toEqual([last, ...ids.reverse()]);
      expect(listed[0]).toMatchObject({ status: 'completed' });
    } finally {
      await first.shutdown(100);
      await second.shutdown(100);
    }
  });

  it('is immutable after construction', async () => {
    const engine = createEngine({ execution: { isolatePoolSize: 0, timeout: 5_000 } });
    try {
      expect(Object.isFrozen(engine.config)).toBe(true);
      expect(Object.isFrozen(engine.config.execution)).toBe(true);
      expect(() => {
        (engine.config.execution as { timeout: number }).timeout = 1;
      }).toThrow(TypeError);
      expect(engine.info().limits.maxTimeout).toBe(5_000);
    } finally {
      await engine.shutdown(100);
    }
  });

  it('asks the auth provider given in the config before init', async () => {
    const engine = createEngine({
      execution: { isolatePoolSize: 0 },
      auth: {
        provider: {
          name: 'key',
          authenticate: async (request) =>
            request.headers['x-key'] === 'yes'
              ? { allowed: true, userId: 'u1' }
              : { allowed: false, reason: 'no key' },
        },
      },
    });
    try {
      await expect(engine.init({})).rejects.toThrow(/no key/);
      expect((await engine.init({}, { headers: { 'x-key': 'yes' } })).clientId).toMatch(/^cli_/);
    } finally {
      await engine.shutdown(100);
    }
  });
});
