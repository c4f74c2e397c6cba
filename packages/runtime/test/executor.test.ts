import type { ApiDispatcher } from '@agent-tool-protocol/protocol';
import { createSimpleDispatcher } from '../src/index.js';
import { ALL_SERVICES, CLIENT, executors, group } from './helpers';

const make = executors();
const waitFor = async (predicate: () => boolean) => {
  for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(predicate()).toBe(true);
};

describe('executor', () => {
  it('dispatches each api call with one resolve(path): no enumeration of registered functions', async () => {
    const inner = createSimpleDispatcher([group('g', { f: () => 1 })]);
    const dispatcher: ApiDispatcher = { resolve: jest.fn(inner.resolve), suggest: jest.fn(inner.suggest) };
    const executor = make([], { dispatcher });
    const result = await executor.execute(
      'let s = 0; for (let i = 0; i < 5; i++) s += await api.g.f({}); return s;',
      CLIENT,
    );
    expect(result.result).toBe(5);
    expect(dispatcher.resolve).toHaveBeenCalledTimes(5);
    expect(dispatcher.resolve).toHaveBeenCalledWith('g.f');
    expect(dispatcher.suggest).not.toHaveBeenCalled();
  });

  it('keeps a pool of fresh isolates; another memory limit gets an isolate created on demand', async () => {
    const executor = make([], { isolatePoolSize: 2 });
    await waitFor(() => executor.stats().pooledIsolates === 2);
    await executor.execute('return 1', { ...CLIENT, limits: { maxMemory: 48 } });
    expect(executor.stats().pooledIsolates).toBe(2);
    await executor.execute('return 1', CLIENT);
    expect(executor.stats().pooledIsolates).toBe(1);
    await waitFor(() => executor.stats().pooledIsolates === 2);
  });

  it('gives every execution a fresh context: globals set by one execution are gone in the next', async () => {
    const executor = make([], { isolatePoolSize: 1 });
    await executor.execute('globalThis.leak = "secret"; return 1;', { clientId: 'a' });
    const next = await executor.execute('return typeof globalThis.leak;', { clientId: 'b' });
    expect(next.result).toBe('undefined');
  });

  it('refuses an executionId that already exists', async () => {
    const executor = make();
    await executor.execute('return await atp.llm.call("q");', {
      ...CLIENT,
      services: ALL_SERVICES,
      executionId: 'fixed-id',
    });
    await expect(executor.execute('return 1', { ...CLIENT, executionId: 'fixed-id' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('reports stats and logs unhandled rejections without failing', async () => {
    const executor = make();
    const result = await executor.execute(
      'Promise.reject(new Error("ignored")); await null; return "still running";',
      CLIENT,
    );
    expect(result.result).toBe('still running');
    expect(result.logs).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'Unhandled promise rejection: ignored' }),
    );
    expect(executor.stats()).toMatchObject({ activeExecutions: 0, hotPaused: 0 });
  });

  it("aborts a handler's signal (an AbortError) when the execution ends", async () => {
    const seen: AbortSignal[] = [];
    const executor = make([
      group('g', {
        take: (_input: unknown, context: { signal: AbortSignal }) => {
          expect(context.signal.aborted).toBe(false);
          seen.push(context.signal);
          return seen.length;
        },
      }),
    ]);
    expect((await executor.execute('return await api.g.take({});', CLIENT)).result).toBe(1);
    expect((await executor.execute('return await api.g.take({});', CLIENT)).result).toBe(2);
    expect(seen[0]).not.toBe(seen[1]);
    for (const signal of seen) {
      expect(signal.aborted).toBe(true);
      expect(signal.reason).toMatchObject({ name: 'AbortError', message: 'This operation was aborted' });
    }
  });

  it('caps captured logs', async () => {
    const executor = make();
    const result = await executor.execute(
      'for (let i = 0; i < 1500; i++) atp.log.debug("line " + i); return 1;',
      CLIENT,
    );
    expect(result.logs).toHaveLength(1001);
    expect(result.logs?.at(-1)?.message).toBe('500 more log entries were dropped');
  });

  it('dispose cancels running executions and refuses new ones', async () => {
    const executor = make([group('g', { never: () => new Promise(() => {}) })]);
    const running = executor.execute('await api.g.never(); return 1;', CLIENT);
    await waitFor(() => executor.stats().activeExecutions === 1);
    await executor.dispose();
    expect((await running).status).toBe('cancelled');
    await expect(executor.execute('return 1', CLIENT)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('dispose while an execution waits for an isolate: that execution is cancelled, not rejected', async () => {
    // The pool is still making its isolate when the execution asks for one, so it waits in the pool.
    const executor = make();
    const waiting = executor.execute('return 1', CLIENT);
    await executor.dispose();
    await expect(waiting).resolves.toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
  });

  it('Date subclasses and explicit dates behave normally', async () => {
    const executor = make();
    const result = await executor.execute(
      'class D extends Date {} const d = new D(0); return [d instanceof Date, d instanceof D, new Date(86400000).toISOString(), typeof Date(), Date.UTC(1970, 0, 2)];',
      CLIENT,
    );
    expect(result.result).toEqual([true, true, '1970-01-02T00:00:00.000Z', 'string', 86400000]);
  });
});
