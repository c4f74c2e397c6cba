import { types } from 'node:util';
import { CLIENT, executors, group } from './helpers';

const make = executors();

describe('isolation and the escape corpus', () => {
  const seen: unknown[] = [];
  const api = [
    group('g', {
      echo: (input) => {
        seen.push(input);
        return input;
      },
      fail: () => {
        throw new Error('host failure');
      },
    }),
  ];

  it('has no require, process, fetch, Buffer, host timers, file or network access', async () => {
    const executor = make(api);
    const result = await executor.execute(
      `return ['require', 'process', 'fetch', 'Buffer', 'module', 'global', 'setImmediate', 'XMLHttpRequest', 'WebAssembly', 'SharedWorker', '__filename', 'WeakRef']
        .map((name) => name + ':' + typeof globalThis[name]);`,
      CLIENT,
    );
    expect(result.result).toEqual(
      [
        'require',
        'process',
        'fetch',
        'Buffer',
        'module',
        'global',
        'setImmediate',
        'XMLHttpRequest',
        'WebAssembly',
        'SharedWorker',
        '__filename',
        'WeakRef',
      ].map((name) => `${name}:undefined`),
    );
  });

  it("constructor.constructor('return process')() cannot reach the host", async () => {
    const executor = make(api);
    const result = await executor.execute(
      `const attempts = [
         () => (function () {}).constructor.constructor('return process')(),
         () => this.constructor.constructor('return process')(),
         () => atp.log.info.constructor('return process')(),
         () => setTimeout.constructor('return process')(),
         () => Object.getPrototypeOf(async function () {}).constructor('return process')(),
         () => api.g.echo.constructor.constructor('return process')(),
         () => (0, eval)('process'),
       ];
       return attempts.map((attempt) => { try { const v = attempt(); return typeof v === 'object' && v !== null && typeof v.then === 'function' ? 'promise' : typeof v; } catch (e) { return e.name; } });`,
      CLIENT,
    );
    expect(result.error).toBeUndefined();
    for (const outcome of result.result as string[])
      expect(['ReferenceError', 'TypeError', 'undefined', 'promise']).toContain(outcome);
  });

  it('Error.prepareStackTrace only sees sandbox frames and leaves the host untouched', async () => {
    const executor = make(api);
    const hostBefore = (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
    const result = await executor.execute(
      `Error.prepareStackTrace = (error, frames) => frames.map((f) => [typeof f.getThis(), String(f.getFileName()), typeof f.getFunction()]);
       let captured;
       try { await api.g.fail(); } catch (e) { captured = e.stack; }
       const own = new Error('x').stack;
       return { captured, own, process: typeof globalThis.process };`,
      CLIENT,
    );
    expect(result.status).toBe('completed');
    const { captured, own } = result.result as { captured: unknown; own: string[][] };
    const files = [captured, own].flat(2).filter((v) => typeof v === 'string');
    expect(files.join(' ')).not.toMatch(/node:|packages\/runtime|node_modules/);
    expect((Error as { prepareStackTrace?: unknown }).prepareStackTrace).toBe(hostBefore);
    expect(new Error('host').stack).toContain('security.test.ts');
  });

  it('Proxy and Reflect tricks in inputs and results arrive on the host as plain data', async () => {
    seen.length = 0;
    const executor = make(api);
    const result = await executor.execute(
      `const trap = new Proxy({ a: 1 }, { get: (t, k) => (k === 'a' ? 'trapped' : Reflect.get(t, k)), ownKeys: () => ['a'], getOwnPropertyDescriptor: () => ({ value: 'x', enumerable: true, configurable: true }) });
       await api.g.echo(trap);
       return new Proxy({ b: 2 }, { get: (t, k) => (k === 'b' ? 'result-trap' : Reflect.get(t, k)) });`,
      CLIENT,
    );
    expect(result.result).toEqual({ b: 'result-trap' });
    expect(types.isProxy(result.result)).toBe(false);
    expect(seen[0]).toEqual({ a: 'trapped' });
    expect(types.isProxy(seen[0])).toBe(false);
  });

  it('Symbol.species and subclassed built-ins come back as plain host arrays and objects', async () => {
    const executor = make(api);
    const result = await executor.execute(
      `class Evil extends Array { static get [Symbol.species]() { return function () { return { hacked: true }; }; } }
       const evil = Evil.from([1, 2, 3]);
       let mapped; try { mapped = evil.map((x) => x * 2); } catch (e) { mapped = e.name; }
       return { evil, mapped };`,
      CLIENT,
    );
    const value = result.result as { evil: unknown; mapped: unknown };
    expect(value.evil).toEqual([1, 2, 3]);
    expect(Object.getPrototypeOf(value.evil)).toBe(Array.prototype);
    expect(value.mapped).toMatchObject({ hacked: true });
    expect(Object.getPrototypeOf(value.mapped)).toBe(Object.prototype);
  });

  it('getters and thenables on returned objects run inside the sandbox, never on the host', async () => {
    const executor = make(api);
    const result = await executor.execute(
      `const withGetter = { get secret() { return typeof process; } };
       const thenable = { then(resolve) { resolve({ resolvedIn: typeof require }); } };
       return { withGetter, inner: await thenable, toJSONed: { toJSON() { return 'json:' + typeof fetch; } } };`,
      CLIENT,
    );
    const value = result.result as Record<string, any>;
    expect(value).toEqual({
      withGetter: { secret: 'undefined' },
      inner: { resolvedIn: 'undefined' },
      toJSONed: 'json:undefined',
    });
    expect(Object.getOwnPropertyDescriptor(value.withGetter, 'secret')).toHaveProperty('value', 'undefined');
    const direct = await executor.execute('return { then(resolve) { resolve(typeof process); } };', CLIENT);
    expect(direct.result).toBe('undefined');
  });

  it('prototype pollution stays in its own execution and never reaches host objects', async () => {
    const executor = make(api);
    const polluted = await executor.execute(
      `Object.prototype.polluted = 'yes';
       Array.prototype.push = () => { throw new Error('tampered'); };
       JSON.stringify = () => 'tampered';
       Map.prototype.set = () => { throw new Error('tampered'); };
       Promise.prototype.then = function () { throw new Error('tampered'); };
       return JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}');`,
      CLIENT,
    );
    expect(polluted.status).toBe('completed');
    const value = polluted.result as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const next = await executor.execute(
      'return { polluted: ({}).polluted ?? null, push: [].push.toString().includes("native code") };',
      CLIENT,
    );
    expect(next.result).toEqual({ polluted: null, push: true });
  });

  it('tampering with built-ins after start does not break the runtime', async () => {
    const executor = make(api);
    const result = await executor.execute(
      `JSON.stringify = () => { throw new Error('tampered'); };
       JSON.parse = () => { throw new Error('tampered'); };
       Map.prototype.get = () => undefined;
       const r = await api.g.echo({ n: 1 });
       return r.n;`,
      CLIENT,
    );
    // The runtime captured the built-ins it needs before agent code ran.
    expect(result).toMatchObject({ status: 'completed', result: 1 });
    expect(seen).toContainEqual({ n: 1 });
  });
});
