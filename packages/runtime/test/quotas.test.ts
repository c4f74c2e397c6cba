import { ErrorCode, MemoryCache, QuotaExceededError } from '@agent-tool-protocol/protocol';
import { executionKeyOf, type UserCacheStore } from '../src/index.js';
import { ALL_SERVICES, CLIENT, executors } from './helpers.js';

const make = executors();
const WITH_SERVICES = { ...CLIENT, services: ALL_SERVICES };

describe('executor quotas', () => {
  it('log data counts against quotas.logs.maxBytes; beyond it entries are dropped with a QUOTA_EXCEEDED notice', async () => {
    const executor = make([], { quotas: { maxLogBytes: 1024 * 1024 } });
    const result = await executor.execute(
      'for (let i = 0; i < 200; i++) atp.log.info("chunk " + i, { blob: "y".repeat(200_000) }); return 1;',
      CLIENT,
    );
    expect(result).toMatchObject({ status: 'completed', result: 1 });
    const kept = result.logs!.slice(0, -1);
    expect(kept).toHaveLength(5);
    expect(result.logs!.at(-1)).toMatchObject({
      level: 'warn',
      message: '195 more log entries were dropped: the execution reached quotas.logs.maxBytes (1048576)',
      data: { code: ErrorCode.QUOTA_EXCEEDED, quota: 'quotas.logs.maxBytes', limit: 1048576 },
    });
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThan(1.1 * 1024 * 1024);
  });

  it('log quotas hold over the whole execution, across a hot and a durable resume', async () => {
    const cache = new MemoryCache();
    const config = { cache, quotas: { maxLogEntries: 5 } };
    const first = make([], config);
    const code =
      'for (let i = 0; i < 3; i++) atp.log.info("a" + i); await atp.llm.call("q1"); for (let i = 0; i < 3; i++) atp.log.info("b" + i); await atp.llm.call("q2"); atp.log.info("c"); return 1;';
    const paused = await first.execute(code, WITH_SERVICES);
    expect(paused.logs!.map((entry) => entry.message)).toEqual(['a0', 'a1', 'a2']);
    const second = await first.resume(paused.executionId, [{ id: '', result: 'x' }], CLIENT);
    expect(second.logs!.map((entry) => entry.message)).toEqual([
      'b0',
      'b1',
      '1 more log entries were dropped: the execution reached quotas.logs.maxEntries (5)',
    ]);
    // Another executor sharing the cache resumes durably: the count continues from the paused state.
    const other = make([], config);
    const done = await other.resume(second.executionId, [{ id: '', result: 'y' }], CLIENT);
    expect(done).toMatchObject({ status: 'completed', result: 1 });
    expect(done.logs!.map((entry) => entry.message)).toEqual([
      '1 more log entries were dropped: the execution reached quotas.logs.maxEntries (5)',
    ]);
  });

  it('a callback payload beyond quotas.callbacks.maxPayloadBytes rejects that call in the sandbox; nothing pauses', async () => {
    const executor = make([], { quotas: { maxCallbackPayloadBytes: 64 * 1024 } });
    const code = `
      const failures = [];
      for (const call of [
        () => atp.llm.call("p".repeat(100_000)),
        () => api.client.pick({ from: "f".repeat(100_000) }),
      ]) {
        try { await call(); } catch (error) { failures.push({ code: error.code, details: error.details, message: error.message }); }
      }
      return failures;`;
    const result = await executor.execute(code, { ...WITH_SERVICES, clientTools: [{ name: 'pick' }] });
    expect(result.status).toBe('completed');
    const failures = result.result as { code: string; details: Record<string, number>; message: string }[];
    expect(failures).toHaveLength(2);
    for (const failure of failures) {
      expect(failure.code).toBe(ErrorCode.QUOTA_EXCEEDED);
      expect(failure.details).toMatchObject({ quota: 'quotas.callbacks.maxPayloadBytes', limit: 65536 });
      expect(failure.details.used).toBeGreaterThan(100_000);
      expect(failure.message).toMatch(/quotas\.callbacks\.maxPayloadBytes/);
    }
  });

  it('atp.cache goes through the userCache store; its quota errors reach the agent with code and details', async () => {
    const stored = new Map<string, unknown>();
    const userCache: UserCacheStore = {
      async get(clientId, key) {
        return stored.get(`${clientId}/${key}`);
      },
      async set(clientId, key, value) {
        if (JSON.stringify(value).length > 10) {
          throw new QuotaExceededError('too big for this test', {
            quota: 'quotas.cache.maxBytes',
            limit: 10,
          });
        }
        stored.set(`${clientId}/${key}`, value);
      },
      async delete(clientId, key) {
        return stored.delete(`${clientId}/${key}`);
      },
    };
    const executor = make([], { userCache });
    const result = await executor.execute(
      `await atp.cache.set('small', 1);
       let failure;
       try { await atp.cache.set('big', 'x'.repeat(100)); } catch (error) { failure = { code: error.code, details: error.details }; }
       return { small: await atp.cache.get('small'), big: await atp.cache.get('big'), failure };`,
      CLIENT,
    );
    expect(result.result).toEqual({
      small: 1,
      failure: { code: ErrorCode.QUOTA_EXCEEDED, details: { quota: 'quotas.cache.maxBytes', limit: 10 } },
    });
    expect([...stored.keys()]).toEqual(['client-1/small']);
  });

  it('a cache provider refusing paused state with a quota error fails the execution with QUOTA_EXCEEDED', async () => {
    const inner = new MemoryCache();
    const refusing = new Proxy(inner, {
      get(target, property, receiver) {
        if (property === 'set') {
          return async (key: string, value: unknown, ttl?: number) => {
            if (executionKeyOf(key)?.kind === 'state' && (value as { status?: string }).status === 'paused') {
              throw new QuotaExceededError('no room for paused state', {
                quota: 'quotas.paused.maxBytes',
                limit: 1,
              });
            }
            return target.set(key, value, ttl);
          };
        }
        return Reflect.get(target, property, receiver);
      },
    });
    const executor = make([], { cache: refusing });
    const result = await executor.execute('return await atp.llm.call("q")', WITH_SERVICES);
    expect(result).toMatchObject({
      status: 'failed',
      error: {
        code: ErrorCode.QUOTA_EXCEEDED,
        details: { quota: 'quotas.paused.maxBytes', limit: 1 },
      },
    });
    expect(result.error?.message).toMatch(/no room for paused state/);
  });

  it('executionKeyOf recognises the keys of durable execution state only', () => {
    expect(executionKeyOf('atp:exec:abc-1:state')).toEqual({ executionId: 'abc-1', kind: 'state' });
    expect(executionKeyOf('atp:exec:a:b:journal')).toEqual({ executionId: 'a:b', kind: 'journal' });
    expect(executionKeyOf('atp:exec::state')).toBeUndefined();
    expect(executionKeyOf('atp:exec:abc:other')).toBeUndefined();
    expect(executionKeyOf('atp:cache:c:atp:exec:x:state')).toBeUndefined();
  });
});
