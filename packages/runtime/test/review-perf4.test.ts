import { SANDBOX_GLOBALS } from '@agent-tool-protocol/protocol';
import type ivm from 'isolated-vm';
import { Sandbox } from '../src/sandbox/sandbox.js';
import { CLIENT, executors, group } from './helpers';

// Review of the runtime's single-entry start path (the `perf4` merge): attacks written as agent code.
// Tests marked "was a bug" failed on the code as merged and assert the secure behaviour.

const make = executors();

/** Agent code that closes the wrapper's function: what follows runs at the script's top level. */
const breakOut = (topLevel: string) => `}); ${topLevel}; (function () {`;
/** Agent code whose top level runs before the bootstrap's start is even called. */
const beforeStart = (topLevel: string) => `}, (() => { ${topLevel} })()); (function () {`;

/**
 * Runs `run` with every sandbox start handed `body` instead of the checked agent code: what a hole in
 * the break-out check (which refuses such bodies before they reach the sandbox) would let through.
 */
async function bypassingBodyCheck<T>(body: string, run: () => Promise<T>): Promise<T> {
  const start = Sandbox.prototype.start;
  Sandbox.prototype.start = function (this: Sandbox, ...args: Parameters<Sandbox['start']>) {
    args[1] = body;
    return start.apply(this, args);
  };
  try {
    return await run();
  } finally {
    Sandbox.prototype.start = start;
  }
}

describe('perf4 review: the agent wrapper', () => {
  const api = [group('g', { echo: (x) => x })];

  // Was a bug: amaro only checked the body as part of `(async function () {\n BODY \n})`, which a
  // body that closes the function passes.
  it('a body that closes the agent function is refused as a PARSE_ERROR', async () => {
    const executor = make(api);
    const result = await executor.execute(breakOut('globalThis.escaped = 1'), CLIENT);
    expect(result).toMatchObject({
      status: 'failed',
      error: { code: 'PARSE_ERROR', line: 1, column: 1 },
    });
    expect(result.error?.message).toMatch(/closes the agent's function/);
    const later = await executor.execute(`x = 1;\n  ${beforeStart('globalThis.escaped = 1')}`, CLIENT);
    expect(later).toMatchObject({ status: 'failed', error: { code: 'PARSE_ERROR', line: 2, column: 3 } });
  });

  it('every legitimate function body still runs', async () => {
    const executor = make(api);
    const bodies: [string, unknown][] = [
      ['const x = await api.g.echo(2);\nreturn x + 1;', 3],
      ['return arguments.length;', 0],
      ['return typeof new.target;', 'undefined'],
      ['/ab+c/.test("abbc") && (x = 1);\nvar x;\nreturn x;', 1],
      ['const a = 1;\n<!-- an HTML-like comment\nreturn a;', 1],
      ['return 4;\n// a comment on the last line', 4],
      ['return 5; /* a block comment at the end */', 5],
      ["'use strict';\nreturn (function () { return this; })() === undefined;", true],
      ['const f = (n: number): number => n * 2;\nreturn f(21);', 42],
      ['enum E { A = 7 }\nreturn E.A;', 7],
      ['label: for (;;) { break label; }\nreturn `t${1}`;', 't1'],
    ];
    for (const [body, expected] of bodies) {
      expect([body, await executor.execute(body, CLIENT)]).toMatchObject([
        body,
        { status: 'completed', result: expected },
      ]);
    }
  });

  // Was a bug (with perf4): the agent's own thrown value was reported as a parse error with its text.
  it('agent code cannot forge a PARSE_ERROR by throwing a SyntaxError look-alike', async () => {
    const executor = make(api);
    const forged = beforeStart("throw new SyntaxError('forged [agent.ts:1:5]')");
    // Refused as it is; and if a hole in that check let it through, the throw is still no parse error.
    for (const result of [
      await executor.execute(forged, CLIENT),
      await bypassingBodyCheck(forged, () => executor.execute('return 1;', CLIENT)),
    ]) {
      expect(result.status).toBe('failed');
      if (result.error?.code === 'PARSE_ERROR') expect(result.error.message).not.toContain('forged');
    }
  });

  it('a SyntaxError look-alike thrown or rejected inside the agent function stays a runtime matter', async () => {
    const executor = make(api);
    const thrown = await executor.execute("throw new SyntaxError('forged [agent.ts:7:9]');", CLIENT);
    expect(thrown.error?.code).toBe('RUNTIME_ERROR');
    const rejected = await executor.execute(
      "Promise.reject(new SyntaxError('forged [agent.ts:7:9]')); return 1;",
      CLIENT,
    );
    expect(rejected).toMatchObject({ status: 'completed', result: 1 });
  });

  it("V8's own compile errors are still PARSE_ERRORs at the agent's position", async () => {
    const executor = make(api);
    const result = await executor.execute('const a = 1;\nconst a = 2;', CLIENT);
    expect(result.error).toMatchObject({ code: 'PARSE_ERROR', line: 2 });
  });

  // The completion value of the agent script is copied into the host's heap. Break-outs are refused
  // before compiling (above); this hands the sandbox one anyway (as if that check had a hole): the
  // agent still cannot choose the completion value (a string of up to its memory limit).
  it("the agent script's completion value is not copied into the host", async () => {
    // What `context.eval` hands the host back, seen through a wrapper around the sandbox's context.
    const completions: unknown[] = [];
    const start = Sandbox.prototype.start;
    Sandbox.prototype.start = function (this: unknown, ...args: Parameters<Sandbox['start']>) {
      const self = this as { context: ivm.Context };
      const context = self.context;
      self.context = {
        eval: (source: string, options: object) =>
          context.eval(source, options).then((value: unknown) => {
            completions.push(typeof value === 'string' ? value.length : value);
            return value;
          }),
      } as unknown as ivm.Context;
      return start.apply(this as Sandbox, args).finally(() => {
        self.context = context;
      });
    };
    try {
      const executor = make(api);
      const result = await bypassingBodyCheck("}); 'x'.repeat(20e6).concat(function () {", () =>
        executor.execute('return 1;', CLIENT),
      );
      expect(result.status).toBe('completed');
    } finally {
      Sandbox.prototype.start = start;
    }
    expect(completions).toEqual([undefined]);
  });
});

describe('perf4 review: a transformCode prelude can be run around', () => {
  // Was a bug (follows from the break-out): code that ran before the agent function took the
  // provenance seam first, so a prelude like the provenance package's seal (non-`ast` mode: "agent
  // code cannot install a tracker and attach labels of its own choosing") found it gone and skipped;
  // the agent's labels then reached beforeToolCall as the call's provenance. Now refused as a
  // PARSE_ERROR before any of it runs.
  it('agent code cannot install a provenance tracker before the prelude seals the seam', async () => {
    const seen: unknown[] = [];
    const seal = `if (typeof globalThis.${SANDBOX_GLOBALS.provenance} === 'function') globalThis.${SANDBOX_GLOBALS.provenance}(Object.freeze({ outgoing: function () { return {}; } }));`;
    const executor = make([group('g', { echo: (x) => x })], {
      hooks: {
        transformCode: (code) => `${seal}${code}`,
        beforeToolCall: (context) => {
          seen.push(context.provenance);
          return { action: 'allow' };
        },
      },
    });
    const result = await executor.execute(
      `await api.g.echo(1); ${beforeStart(
        `globalThis.${SANDBOX_GLOBALS.provenance}({ outgoing: function () { return { labels: 'chosen by the agent' }; } })`,
      )}`,
      CLIENT,
    );
    expect(result).toMatchObject({ status: 'failed', error: { code: 'PARSE_ERROR' } });
    expect(seen).toEqual([]);
  });
});

// Top-level code can no longer run (break-outs are refused); these hand the sandbox such code anyway,
// to check that the limits would still hold it.
describe('perf4 review: limits on top-level code that runs before the start', () => {
  const api = [group('g', { echo: (x) => x })];

  it('an infinite loop before the start ends with timeout', async () => {
    const executor = make(api);
    const result = await bypassingBodyCheck(beforeStart('for (;;) {}'), () =>
      executor.execute('return 1;', { ...CLIENT, limits: { timeout: 300, cpuTime: 10_000 } }),
    );
    expect(result).toMatchObject({ status: 'timeout', error: { code: 'TIMEOUT' } });
  });

  it('an infinite loop before the start ends with cpu_time_exceeded', async () => {
    const executor = make(api);
    const result = await bypassingBodyCheck(beforeStart('for (;;) {}'), () =>
      executor.execute('return 1;', { ...CLIENT, limits: { timeout: 10_000, cpuTime: 300 } }),
    );
    expect(result).toMatchObject({ status: 'cpu_time_exceeded' });
  });

  it('a memory bomb before the start ends with memory_exceeded and the next execution runs', async () => {
    const executor = make(api);
    const result = await bypassingBodyCheck(
      beforeStart('const keep = []; for (;;) keep.push(new Array(1e5).fill(keep.length));'),
      () => executor.execute('return 1;', { ...CLIENT, limits: { maxMemory: 32 } }),
    );
    expect(result.status).toBe('memory_exceeded');
    expect(await executor.execute('return 5;', CLIENT)).toMatchObject({ status: 'completed', result: 5 });
  });

  it('top-level code sees the execution set up (seeded Math.random, the execution clock)', async () => {
    const seen: unknown[] = [];
    const executor = make([group('g', { see: (x) => seen.push(x) })]);
    // The agent function reports what the top-level code saw before the start.
    const code = `await api.g.see(globalThis.early); ${beforeStart('globalThis.early = [Date.now(), Math.random()]')}`;
    const started = Date.now();
    for (let i = 0; i < 2; i++) {
      const result = await bypassingBodyCheck(code, () => executor.execute('return 1;', CLIENT));
      expect(result.status).toBe('completed');
    }
    const [a, b] = seen as [number, number][];
    // Not the bootstrap's default clock (0) nor its default seed: setup ran before any agent code.
    expect(a![0]).toBeGreaterThanOrEqual(started - 1000);
    expect(a![1]).not.toBe(b![1]);
  });
});

describe('perf4 review: isolate reuse', () => {
  it('two executions in one isolate get different random sequences and share no globals', async () => {
    const executor = make([], { isolatePoolSize: 1 });
    const results: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const result = await executor.execute(
        'const prev = globalThis.mark; globalThis.mark = 1; Array.prototype.leak = 1; return [prev, [].leak, Math.random(), Math.random()];',
        CLIENT,
      );
      results.push(result.result);
    }
    expect(executor.stats().isolatesCreated).toBeLessThan(4);
    for (const value of results) expect((value as unknown[]).slice(0, 2)).toEqual([null, 1]);
    const randoms = results.map((value) => (value as number[])[2]);
    expect(new Set(randoms).size).toBe(4);
  });
});

describe('perf4 review: reaching the entry from agent code', () => {
  // Every agent function is marked; a frame or caller that gives a function without the mark is the
  // bootstrap's (or the entry's).
  const probe = `
    const main = arguments.callee;
    const mine = new WeakSet();
    const mark = (fn) => { mine.add(fn); return fn; };
    const foreign = [];
    const names = new Set();
    const inspect = mark(function inspect(where) {
      const saved = Error.prepareStackTrace;
      Error.prepareStackTrace = mark(function (error, frames) { return frames; });
      const frames = new Error().stack;
      Error.prepareStackTrace = saved;
      for (const frame of frames) {
        names.add(frame.getFunctionName());
        const fn = frame.getFunction();
        if (fn !== undefined && !mine.has(fn) && fn !== main) foreign.push(where + ':frame:' + frame.getFunctionName() + ':' + String(fn).slice(0, 60));
        const self = frame.getThis();
        if (typeof self === 'function' && !mine.has(self)) foreign.push(where + ':this');
      }
      const caller = inspect.caller;
      if (caller !== null && caller !== undefined && !mine.has(caller)) foreign.push(where + ':caller');
    });
    Error.prepareStackTrace = mark(function (error, frames) {
      for (const frame of frames) {
        const fn = frame.getFunction();
        if (fn !== undefined && !mine.has(fn)) foreign.push('prepareStackTrace:' + frame.getFunctionName());
      }
      return 'stack';
    });
    let setterCalls = 0;
    Object.defineProperty(Object.prototype, 'then', { configurable: true, get: mark(function thenGetter() {
      inspect('then-getter');
      return undefined;
    }) });
    await new Promise(mark(function (resolve) { setTimeout(mark(function timer() { inspect('timer'); resolve(); }), 1); }));
    await api.g.echo(1).then(mark(function afterCall(value) { inspect('then'); return value; }));
    try { await api.g.fail(); } catch (error) { void error.stack; }
    delete Object.prototype.then;
    return { toJSON: mark(function toJSON() { inspect('toJSON'); return { foreign, names: [...names].filter(Boolean) }; }) };
  `;

  it('no stack frame, caller or prepareStackTrace call site gives agent code a function of the bootstrap', async () => {
    const executor = make([
      group('g', {
        echo: (x) => x,
        fail: () => {
          throw new Error('host failure');
        },
      }),
    ]);
    const result = await executor.execute(probe, CLIENT);
    expect(result.status).toBe('completed');
    const { foreign, names } = result.result as { foreign: string[]; names: string[] };
    expect(foreign).toEqual([]);
    // The probes ran inside the host's calls into the entry (so the entry was on the stack).
    expect(names).toEqual(expect.arrayContaining(['atpEntryOf']));
  });

  // Was a bug: the bootstrap stored into its own arrays with `array[i] = value`, which called a setter
  // agent code put on `Array.prototype`; the setter received the outbox (and `jobs`).
  it("a setter on Array.prototype does not receive the bootstrap's own arrays or functions", async () => {
    const executor = make([group('g', { echo: (x) => x })]);
    const result = await executor.execute(
      `let caught = '';
       Object.defineProperty(Array.prototype, '0', { configurable: true, set: function (value) {
         caught += (typeof value === 'function' ? 'function' : typeof value === 'string' ? value.slice(0, 12) : typeof value) + ';';
         Object.defineProperty(this, '0', { value, writable: true, enumerable: true, configurable: true });
       } });
       console.log('hello');
       await api.g.echo(1);
       delete Array.prototype[0];
       return caught;`,
      CLIENT,
    );
    expect(result.status).toBe('completed');
    expect(result.result).toBe('');
  });
});

describe('a pending host call after agent tampering', () => {
  // The bootstrap keeps each call's promise and resolvers from `Promise.withResolvers`, captured before
  // agent code runs; the object it returns is read by its own properties only.
  it('replacing Promise.withResolvers or putting accessors on Object.prototype changes no host call', async () => {
    const executor = make([group('g', { echo: (x) => x })]);
    const result = await executor.execute(
      `let caught = '';
       Promise.withResolvers = () => { caught += 'withResolvers;'; return { promise: Promise.resolve('forged'), resolve() {}, reject() {} }; };
       for (const key of ['promise', 'resolve', 'reject']) {
         Object.defineProperty(Object.prototype, key, { configurable: true, get() { caught += key + ';'; return undefined; }, set() { caught += 'set ' + key + ';'; } });
       }
       const first = await api.g.echo(0);
       const second = await api.g.echo(1);
       const both = await Promise.all([api.g.echo('a'), api.g.echo('b')]);
       for (const key of ['promise', 'resolve', 'reject']) delete Object.prototype[key];
       const values = [first, second];
       return { caught, values, both };`,
      CLIENT,
    );
    expect(result.status).toBe('completed');
    expect(result.result).toEqual({ caught: '', values: [0, 1], both: ['a', 'b'] });
  });
});

describe('perf4 review: detaching a context after agent tampering', () => {
  it('agent code cannot capture the job queue to freeze it (which made the detach throw)', async () => {
    const executor = make([group('g', { echo: (x) => x })], { isolatePoolSize: 1 });
    // Before the bootstrap's lists lost their prototype, the agent captured the job queue (through a
    // setter on Array.prototype) and froze it while the host collected its result: the detach threw.
    const tampered = await executor.execute(
      `let jobs = null;
       Object.defineProperty(Array.prototype, '0', { configurable: true, set: function (value) {
         if (typeof value === 'function') jobs = this;
         if (typeof value === 'string' && value.startsWith('["done"') && jobs !== null) {
           const queue = jobs;
           Object.defineProperty(this, '0', { enumerable: true, configurable: true, get: function () {
             Object.freeze(queue);
             return value;
           } });
           return;
         }
         Object.defineProperty(this, '0', { value, writable: true, enumerable: true, configurable: true });
       } });
       await api.g.echo(1);
       delete Array.prototype[0];
       return jobs === null ? 'not captured' : 'captured';`,
      { ...CLIENT, limits: { timeout: 5_000 } },
    );
    expect(tampered).toMatchObject({ status: 'completed', result: 'not captured' });
    const created = executor.stats().isolatesCreated;
    for (let i = 0; i < 3; i++) {
      const next = await executor.execute('return [typeof globalThis.captured, [][0]];', CLIENT);
      expect(next).toMatchObject({ status: 'completed', result: ['undefined', null] });
    }
    // Nothing was tampered with: the isolate serves the next executions.
    expect(executor.stats().isolatesCreated).toBe(created);
  });
});

describe('perf4 review: the host thread', () => {
  // Was a bug: `collect` after the start is a synchronous call into the isolate (with a 5 s timeout),
  // and the outbox it read could hold agent getters (previous test): agent code blocked the host's
  // event loop, and every other execution of the process with it, for 5 s per execution.
  it('agent code cannot run inside a synchronous host call (the event loop keeps turning)', async () => {
    const executor = make([]);
    const started = Date.now();
    let firedAfter = Number.POSITIVE_INFINITY;
    const timer = setTimeout(() => {
      firedAfter = Date.now() - started;
    }, 100);
    const result = await executor.execute(
      `Object.defineProperty(Array.prototype, '0', { configurable: true, set: function (value) {
         Object.defineProperty(this, '0', { configurable: true, enumerable: true, get: function () { for (;;) {} } });
       } });
       console.log('hello');
       return 1;`,
      { ...CLIENT, limits: { timeout: 1_000 } },
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    clearTimeout(timer);
    // Generous bound (the machine is noisy): the block lasts isolated-vm's 5 s timeout.
    expect(firedAfter).toBeLessThan(3_000);
    expect(result.error?.code).not.toBe('INTERNAL_ERROR');
  }, 20_000);
});

describe("perf4 review: handlers' abort signal", () => {
  it('a handler cut off by a limit sees a frozen AbortError it cannot change, and nothing reaches the sandbox', async () => {
    const reasons: unknown[] = [];
    const executor = make([
      group('g', {
        wait: (_input: unknown, context: { signal: AbortSignal }) =>
          new Promise((_resolve, reject) => {
            context.signal.addEventListener('abort', () => {
              reasons.push(context.signal.reason);
              reject(context.signal.reason);
            });
          }),
      }),
    ]);
    for (let i = 0; i < 2; i++) {
      const result = await executor.execute(
        'try { await api.g.wait(); } catch (e) { return "caught " + e.name; }',
        {
          ...CLIENT,
          limits: { timeout: 200 },
        },
      );
      expect(result.status).toBe('timeout');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reasons).toHaveLength(2);
    const reason = reasons[0] as DOMException;
    expect(reason).toBeInstanceOf(DOMException);
    expect(reason.name).toBe('AbortError');
    expect(Object.isFrozen(reason)).toBe(true);
    // Shared by every execution: a handler that tags the reason (strict code) throws.
    expect(reasons[1]).toBe(reason);
    expect(() => {
      (reason as unknown as { executionId: string }).executionId = 'x';
    }).toThrow(TypeError);
  });
});
