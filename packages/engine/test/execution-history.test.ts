import { type Logger, MemoryCache } from '@agent-tool-protocol/protocol';
import { ExecutionHistory } from '../src/history/execution-history';

const silent = { warn: () => {} } as unknown as Logger;

function historyOn(cache: MemoryCache): ExecutionHistory {
  return new ExecutionHistory({ cache, ttlSeconds: 60, maxExecutions: 10, maxEvents: 20, logger: silent });
}

describe('ExecutionHistory shared by two instances', () => {
  beforeEach(() => {
    // Index batches wait on setTimeout; freezing it makes "before the batch is written" certain.
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
  });
  afterEach(() => jest.useRealTimers());

  it('does not list a paused execution as paused once another instance stored its end', async () => {
    const cache = new MemoryCache();
    const first = historyOn(cache);
    const second = historyOn(cache);
    const ids = { executionId: 'e1', clientId: 'c1' };
    first.record({ ...ids, type: 'execution_start' });
    first.record({ ...ids, type: 'execution_pause', callbacks: 1 });
    // Let the first instance store the paused trail; its index entry waits for the batch timer.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));

    jest.setSystemTime(Date.now() + 5);
    second.record({ ...ids, type: 'execution_resume', mode: 'durable' });
    const end = { ...ids, type: 'execution_end' as const, status: 'completed' as const, durationMs: 3 };
    second.record(end);
    second.ended(end, undefined);
    await second.flush();

    expect((await second.list('c1'))[0]).toMatchObject({ executionId: 'e1', status: 'completed', pauses: 1 });
    // The first instance's waiting batch still holds the older, paused summary.
    expect((await first.list('c1'))[0]).toMatchObject({ executionId: 'e1', status: 'completed', pauses: 1 });
    expect(await first.get('c1', 'e1')).toMatchObject({ status: 'completed' });
  });
});
