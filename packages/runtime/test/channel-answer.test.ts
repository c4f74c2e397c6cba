import { HostCalls } from '../src/execution/host-calls.js';

// The sandbox waits on the channel with isolated-vm's `applySyncPromise`. When the host's promise
// settles after the task that called the channel (a later timer or I/O turn), isolated-vm 7 wakes the
// isolate's thread and then signals a condition variable that thread may already have destroyed: a
// use-after-free that, on a loaded machine, froze the process inside `pthread_cond_signal`. A promise
// that settles within the calling task's microtasks is delivered before isolated-vm lets the isolate
// thread go on, so the channel's wait for host work must never reach past those microtasks.

function failOnError(error: unknown): void {
  throw error;
}

/** Resolves after the event loop's next check phase (a later task, not a microtask). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the channel answer waits for host work only within microtasks', () => {
  it('settles before the next task even when host work is still in flight', async () => {
    const calls = new HostCalls(failOnError);
    let workFinished = false;
    calls.track(
      nextTurn().then(() => {
        workFinished = true;
      }),
    );
    const order: string[] = [];
    setImmediate(() => order.push('next task'));
    await calls.settledWithinMicrotasks().then(() => order.push('settled'));
    expect(order).toEqual(['settled']);
    expect(workFinished).toBe(false);
    expect(calls.inflight).toBe(1);
    await nextTurn();
    expect(order).toEqual(['settled', 'next task']);
  });

  it('waits for host work that finishes within microtasks', async () => {
    const calls = new HostCalls(failOnError);
    const work = async () => {
      for (let i = 0; i < 10; i++) await null;
    };
    calls.track(work());
    calls.track(work());
    await calls.settledWithinMicrotasks();
    expect(calls.inflight).toBe(0);
  });

  it('answers at once when no host work is in flight', async () => {
    const calls = new HostCalls(failOnError);
    await calls.settledWithinMicrotasks();
    expect(calls.inflight).toBe(0);
  });
});
