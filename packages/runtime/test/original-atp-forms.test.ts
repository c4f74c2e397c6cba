import type { LogEntry, ProgressEvent } from '@agent-tool-protocol/protocol';
import { ALL_SERVICES, CLIENT, executors, group } from './helpers';

// The original ATP README's spellings of the runtime APIs, next to ours.
const make = executors();

describe("the original ATP's runtime forms", () => {
  it('atp.api.<group>.<fn> is the same proxy as api.<group>.<fn>', async () => {
    const executor = make([
      group('database', { createUser: (input: { name: string }) => ({ id: 1, ...input }) }),
    ]);
    const result = await executor.execute(
      `const a = await atp.api.database.createUser({ name: 'Alice' });
       const b = await api.database.createUser({ name: 'Bob' });
       return { a, b, same: atp.api === api };`,
      CLIENT,
    );
    expect(result).toMatchObject({
      status: 'completed',
      result: { a: { id: 1, name: 'Alice' }, b: { id: 1, name: 'Bob' }, same: true },
    });
    const unknown = await executor.execute('return await atp.api.database.nope({});', CLIENT);
    expect(unknown.status).toBe('failed');
    expect(unknown.error?.message).toMatch(/database\.nope/);
  });

  it('atp.log.error(message, { error }) keeps the Error’s name, message, stack and own fields', async () => {
    const logs: LogEntry[] = [];
    const executor = make([], { onLog: (entry) => logs.push(entry) });
    const result = await executor.execute(
      `try { const e = new TypeError('connect ECONNREFUSED'); e.code = 'ECONNREFUSED'; throw e; }
       catch (error) { atp.log.error('Failed to connect', { error, attempt: 2 }); }
       atp.log.warn('plain', { nested: { ok: true } });
       return true;`,
      CLIENT,
    );
    expect(result.status).toBe('completed');
    const entry = logs.find((log) => log.message === 'Failed to connect');
    expect(entry).toMatchObject({
      level: 'error',
      data: {
        attempt: 2,
        error: { name: 'TypeError', message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' },
      },
    });
    expect((entry!.data as { error: { stack: string } }).error.stack).toMatch(
      /TypeError: connect ECONNREFUSED\n\s+at /,
    );
    expect(logs.find((log) => log.message === 'plain')?.data).toEqual({ nested: { ok: true } });
  });

  it('atp.progress.report({ current, total, message }) and report(message, fraction) both report', async () => {
    const progress: ProgressEvent[] = [];
    const executor = make([], { onProgress: (event) => progress.push(event) });
    const result = await executor.execute(
      `atp.progress.report({ current: 5, total: 10, message: 'Processing...' });
       atp.progress.report('Almost', 0.9);
       atp.progress.report({ current: 3, total: 4 });
       return true;`,
      CLIENT,
    );
    expect(result.status).toBe('completed');
    expect(progress.map(({ message, fraction, data }) => ({ message, fraction, data }))).toEqual([
      { message: 'Processing...', fraction: 0.5, data: { current: 5, total: 10 } },
      { message: 'Almost', fraction: 0.9, data: undefined },
      { message: '3/4', fraction: 0.75, data: { current: 3, total: 4 } },
    ]);
  });

  it('LLM calls count against maxLLMCalls only, not maxToolCalls', async () => {
    const executor = make([group('g', { ping: () => 'pong' })]);
    const paused = await executor.execute(
      `const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => atp.llm.call('q' + i)));
       return [answers.length, await api.g.ping()];`,
      { ...CLIENT, services: ALL_SERVICES, limits: { maxToolCalls: 5, maxLLMCalls: 30 } },
    );
    expect(paused.needsCallbacks).toHaveLength(30);
    const done = await executor.resume(
      paused.executionId,
      paused.needsCallbacks!.map((callback) => ({ id: callback.id, result: 'a' })),
      CLIENT,
    );
    expect(done).toMatchObject({ status: 'completed', result: [30, 'pong'] });
  });
});
