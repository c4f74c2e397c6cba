import type { Executor } from '../src/index.js';
import { CLIENT, executors, group } from './helpers';

// An isolate serves several executions one after another, each in a fresh context. These tests force
// that reuse (a pool of one isolate, and `isolatesCreated` proves the next execution ran in the same
// isolate) and try to carry state from one execution into the next: each would see the state if the
// runtime reused the context, or the isolate without detaching the previous context.

const make = executors();

/** Waits until the isolate the last execution used is prepared again (a fresh context). */
async function reusedReady(executor: Executor): Promise<void> {
  for (let i = 0; i < 500 && executor.stats().pooledIsolates === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(executor.stats().pooledIsolates).toBe(1);
}

function reusing(groups = [group('g', { echo: (input: unknown) => input })]) {
  return make(groups, { isolatePoolSize: 1, isolateMaxUses: 100 });
}

describe('isolate reuse: nothing of one execution reaches the next', () => {
  it('globals, built-in prototypes and the sandbox globals are fresh', async () => {
    const executor = reusing();
    await reusedReady(executor);
    const first = await executor.execute(
      `globalThis.leaked = 'secret';
       Object.prototype.polluted = 'yes';
       Array.prototype.map = function () { return 'hijacked'; };
       String.prototype.trim = function () { return 'hijacked'; };
       JSON.stringify = function () { return '"hijacked"'; };
       Math.random = () => 4;
       Date.now = () => 0;
       Error.prepareStackTrace = () => 'hijacked';
       delete globalThis.api;
       delete globalThis.console;
       atp.nested = 1;
       return 1;`,
      CLIENT,
    );
    expect(first.status).toBe('completed');
    await reusedReady(executor);
    const second = await executor.execute(
      `return {
         leaked: typeof leaked,
         polluted: ({}).polluted ?? null,
         map: [1, 2].map((x) => x * 2),
         trim: ' a '.trim(),
         json: JSON.stringify({ a: 1 }),
         random: Math.random() < 1,
         now: Date.now() > 0,
         stack: typeof new Error('x').stack === 'string' && new Error('x').stack.includes('Error: x'),
         api: typeof api,
         console: typeof console.log,
         echo: await api.g.echo({ v: 2 }),
       };`,
      CLIENT,
    );
    expect(second.status).toBe('completed');
    expect(second.result).toEqual({
      leaked: 'undefined',
      polluted: null,
      map: [2, 4],
      trim: 'a',
      json: '{"a":1}',
      random: true,
      now: true,
      stack: true,
      api: 'function',
      console: 'function',
      echo: { v: 2 },
    });
    expect(executor.stats().isolatesCreated).toBe(1);
  });

  it('timers, host calls and promises left pending never run in the next execution', async () => {
    let slowCalls = 0;
    const executor = reusing([
      group('g', {
        slow: async () => {
          slowCalls++;
          await new Promise((resolve) => setTimeout(resolve, 60));
          return 'late';
        },
      }),
    ]);
    await reusedReady(executor);
    const first = await executor.execute(
      `setTimeout(() => { globalThis.late = 'timer'; console.log('timer of the first execution'); }, 20);
       setInterval(() => console.log('interval of the first execution'), 10);
       api.g.slow({}).then((value) => { globalThis.late = value; console.log('api result in the first execution'); });
       new Promise(() => {}).then(() => console.log('never'));
       Promise.reject(new Error('rejected in the first execution'));
       return 'first';`,
      CLIENT,
    );
    expect(first.result).toBe('first');
    await reusedReady(executor);
    const second = await executor.execute(
      `await new Promise((resolve) => setTimeout(resolve, 150));
       return typeof globalThis.late;`,
      CLIENT,
    );
    expect(second.status).toBe('completed');
    expect(second.result).toBe('undefined');
    expect(second.logs).toEqual([]);
    expect(slowCalls).toBe(1);
    expect(executor.stats().isolatesCreated).toBe(1);
  });

  it('code hooked into the bootstrap’s own promises (Promise species) cannot run after its execution', async () => {
    const executor = reusing();
    await reusedReady(executor);
    // A \`then\` on the bootstrap's own promises would construct this class and hand its resolver to agent
    // code. Armed after the start, it would be the promise of the task that delivers the api result,
    // which settles after the execution ended: the spin would hang the isolate the next execution gets
    // (and the host's synchronous heap reading at the end of the execution with it).
    const first = await executor.execute(
      `class Spinning extends Promise {
         constructor(executor) {
           super((resolve, reject) => executor((value) => { while (globalThis.finished) {} resolve(value); }, reject));
         }
       }
       Object.defineProperty(Promise.prototype, 'constructor', {
         get: () => (globalThis.armed ? Spinning : Promise),
         configurable: true,
       });
       await null;
       globalThis.armed = true;
       const value = await api.g.echo({ n: 1 });
       globalThis.finished = true;
       return value.n;`,
      CLIENT,
    );
    expect(first.status).toBe('completed');
    await reusedReady(executor);
    const second = await executor.execute('return await api.g.echo({ n: 2 });', {
      ...CLIENT,
      limits: { cpuTime: 1000, timeout: 5000 },
    });
    expect(second.status).toBe('completed');
    expect(executor.stats().isolatesCreated).toBe(1);
  });

  it('CPU time is counted per execution, not per isolate', async () => {
    const executor = reusing();
    await reusedReady(executor);
    const first = await executor.execute(
      'let s = 0; for (let i = 0; i < 2e8; i++) s = (s + i) % 1000003; return s;',
      CLIENT,
    );
    expect(first.status).toBe('completed');
    await reusedReady(executor);
    const second = await executor.execute('return 1;', { ...CLIENT, limits: { cpuTime: 20 } });
    expect(second.status).toBe('completed');
    expect(executor.stats().isolatesCreated).toBe(1);
  });
});

describe('isolate reuse: when an isolate is retired', () => {
  it('after a limit ends an execution', async () => {
    const executor = reusing();
    await reusedReady(executor);
    const spin = await executor.execute('globalThis.mark = 1; while (true) {}', {
      ...CLIENT,
      limits: { cpuTime: 100, timeout: 5000 },
    });
    expect(spin.status).toBe('cpu_time_exceeded');
    await reusedReady(executor);
    const next = await executor.execute('return typeof mark;', CLIENT);
    expect(next.result).toBe('undefined');
    expect(executor.stats().isolatesCreated).toBe(2);
  });

  it('when the heap it keeps is large', async () => {
    const executor = reusing();
    await reusedReady(executor);
    const big = await executor.execute(
      'globalThis.big = Array.from({ length: 3e6 }, (_, i) => i + 0.5); return big.length;',
      CLIENT,
    );
    expect(big.result).toBe(3e6);
    await reusedReady(executor);
    const next = await executor.execute('return typeof big;', CLIENT);
    expect(next.result).toBe('undefined');
    expect(executor.stats().isolatesCreated).toBe(2);
  });

  it('after isolateMaxUses executions', async () => {
    const executor = make([], { isolatePoolSize: 1, isolateMaxUses: 2 });
    for (let i = 0; i < 4; i++) {
      await reusedReady(executor);
      expect((await executor.execute('return 1', CLIENT)).status).toBe('completed');
    }
    expect(executor.stats().isolatesCreated).toBe(2);
  });

  it('never, with isolateMaxUses 1', async () => {
    const executor = make([], { isolatePoolSize: 1, isolateMaxUses: 1 });
    for (let i = 0; i < 3; i++) {
      await reusedReady(executor);
      await executor.execute('return 1', CLIENT);
    }
    expect(executor.stats().isolatesCreated).toBe(3);
  });
});
