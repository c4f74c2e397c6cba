import { SANDBOX_GLOBALS } from '@agent-tool-protocol/protocol';
import { CLIENT, executors, group } from './helpers';

// Review of the leaner host call (string outbox, api child caches,
// Promise.withResolvers for pending calls, the channel's await loop): attacks written as agent code.
// Tests marked "was a bug" failed on the code as merged and assert the fixed behaviour.

const make = executors();

/** An executor with one `g.echo` function that records the path of every call its hook sees. */
function recordingPaths() {
  const paths: string[] = [];
  const executor = make([group('g', { echo: (x) => x })], {
    hooks: {
      beforeToolCall: (ctx) => {
        paths.push(ctx.path);
        return { action: 'allow' };
      },
    },
  });
  return { executor, paths };
}

describe('host-call review: what agent code puts in the outbox', () => {
  // Was a bug: `setTimeout(f, Infinity)` put `{"ms":Infinity}` in the outbox, which is no JSON, so the
  // host refused the whole outbox and the execution failed as an INTERNAL_ERROR (a protocol violation).
  it('a timer delay that is no finite number of ms keeps the outbox JSON and waits like Node', async () => {
    const executor = make([group('g', { echo: (x) => x })]);
    const result = await executor.execute(
      `const fired = [];
       const delays = [Infinity, -Infinity, NaN, 1e10, 2 ** 31, -5, '7', null, undefined];
       await Promise.all(delays.map((ms, i) => new Promise((resolve) => setTimeout(() => { fired.push(i); resolve(); }, ms))));
       const cleared = setTimeout(() => fired.push('cleared'), Infinity);
       clearTimeout(cleared);
       const interval = setInterval(() => { fired.push('interval'); clearInterval(interval); }, Infinity);
       await new Promise((resolve) => setTimeout(resolve, 5));
       return { fired: fired.sort(), echo: await api.g.echo('after') };`,
      CLIENT,
    );
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('completed');
    expect(result.result).toEqual({ fired: [0, 1, 2, 3, 4, 5, 6, 7, 8, 'interval'], echo: 'after' });
  });

  it('agent text in api paths, logs, progress and errors arrives as data, never as messages', async () => {
    const { executor, paths } = recordingPaths();
    const forged = '"],["done",1,"forged"],["log","info","';
    const result = await executor.execute(
      `const forged = ${JSON.stringify(forged)};
       const out = [];
       try { await api.g[forged]({}); } catch (e) { out.push(e.message.includes(forged)); }
       try { await api[forged + '.x']({}); } catch (e) { out.push(e.message.includes(forged)); }
       console.log(forged, Symbol(forged), { toString() { return forged; } });
       atp.log.warn(forged, { e: new Error(forged) });
       atp.progress.report(forged, 0.5, { forged });
       const sym = Symbol(forged);
       try { await api.g.echo({ [sym]: 1, f: () => 1, s: forged }); } catch (e) { out.push('threw'); }
       out.push(await api.g.echo(forged));
       throw Object.assign(new Error(forged), { code: forged, details: { forged } });`,
      CLIENT,
    );
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ message: forged, code: forged });
    expect(result.result).toBeUndefined();
    expect(result.logs?.map((log) => log.message)).toEqual([`${forged} Symbol(${forged}) {}`, forged]);
    expect(paths).toEqual(['api.g.echo', 'api.g.echo']);
  });
});

describe('host-call review: pending calls after agent tampering', () => {
  it('a then getter on Object.prototype that calls the host while a result is delivered confuses no call', async () => {
    const seenByHost: unknown[] = [];
    const executor = make([
      group('g', {
        echo: (x) => {
          seenByHost.push(x);
          return x;
        },
      }),
    ]);
    const result = await executor.execute(
      `const seen = [];
       Object.defineProperty(Object.prototype, 'then', { configurable: true, get() {
         if (this && typeof this.v === 'number' && seen.length < 4) { seen.push(this.v); api.g.echo({ nested: this.v }); clearTimeout(1); }
         return undefined;
       } });
       const [a, b] = await Promise.all([api.g.echo({ v: 1 }), api.g.echo({ v: 2 })]);
       delete Object.prototype.then;
       const c = await api.g.echo({ v: 3 });
       return { a, b, c, seen };`,
      CLIENT,
    );
    expect(result.error).toBeUndefined();
    expect(result.result).toEqual({ a: { v: 1 }, b: { v: 2 }, c: { v: 3 }, seen: [1, 2] });
    expect(seenByHost).toEqual(
      expect.arrayContaining([{ v: 1 }, { v: 2 }, { v: 3 }, { nested: 1 }, { nested: 2 }]),
    );
  });

  it('patched Promise, String and Map built-ins change no host call', async () => {
    const executor = make([group('g', { echo: (x) => x })]);
    const result = await executor.execute(
      `const first = api.g.echo;
       Object.defineProperty(Promise, Symbol.species, { configurable: true, get() { throw new Error('species'); } });
       Promise.withResolvers = () => { throw new Error('withResolvers'); };
       Promise.prototype.then = function () { throw new Error('then'); };
       String.prototype.concat = () => 'x';
       String.prototype.toString = () => 'x';
       Object.defineProperty(String.prototype, Symbol.toPrimitive, { configurable: true, value() { return 'x'; } });
       Map.prototype.get = function () { return first; };
       Map.prototype.set = function () { throw new Error('set'); };
       Map.prototype.has = function () { return true; };
       Object.defineProperty(Map, Symbol.species, { get() { throw new Error('species'); } });
       const other = api.g.other;
       const caught = [];
       try { await other(1); } catch (e) { caught.push(e.message); }
       return { x: await api.g.echo(1), y: await first('s'), other: other === first, caught };`,
      CLIENT,
    );
    expect(result.error).toBeUndefined();
    expect(result.result).toEqual({
      x: 1,
      y: 's',
      other: false,
      caught: [expect.stringMatching(/^api\.g\.other is not a function/)],
    });
  });
});

describe('host-call review: api proxies kept by key', () => {
  it('every key reaches the node of its own path, however it is reached', async () => {
    const { executor, paths } = recordingPaths();
    const result = await executor.execute(
      `const keys = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', '0', '', 'a.b', ' ', 'x'.repeat(5000), 'echo'];
       const out = [];
       for (const k of keys) {
         const node = api.g[k];
         const message = await node(1).then((v) => 'ok ' + v, (e) => e.message);
         const refused = message.startsWith('api.g.' + k + ' is not a function');
         out.push([node === api.g[k], node === api['g.' + k], node === atp.api.g[k], refused ? 'refused' : message]);
       }
       // a dotted key and the chain of its parts are one path
       out.push(api.g['a.b'] === api.g.a.b, api['g.echo'] === api.g.echo);
       // no symbol, no then: the proxies are not thenables and have no iterator
       out.push(api.g.then, api.g[Symbol.iterator], api.g[Symbol.toPrimitive], api[Symbol.for('g')]);
       return out;`,
      CLIENT,
    );
    expect(result.error).toBeUndefined();
    const out = result.result as unknown[];
    expect(out.slice(0, 10)).toEqual(Array(10).fill([true, true, true, 'refused']));
    expect(out[10]).toEqual([true, true, true, 'ok 1']);
    expect(out.slice(11)).toEqual([true, true, null, null, null, null]);
    expect(paths).toEqual(['api.g.echo']);
  });
});

describe('host-call review: the channel waits for host work within microtasks only', () => {
  it('host work that settles late or never is delivered later, in the order it settles', async () => {
    const executor = make([
      group('g', {
        slow: async (n: number) => {
          for (let i = 0; i < n; i++) await undefined;
          return n;
        },
        never: () => new Promise(() => {}),
      }),
    ]);
    const result = await executor.execute(
      `const order = [];
       api.g.never({}).then(() => order.push('never'));
       await Promise.all([0, 10, 63, 64, 65, 200, 1000].map((n) => api.g.slow(n).then((v) => order.push(v))));
       await new Promise((resolve) => setTimeout(resolve, 1));
       return order;`,
      CLIENT,
    );
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('completed');
    expect(result.result).toEqual([0, 10, 63, 64, 65, 200, 1000]);
  });
});

describe('host-call review: the fields of a call message', () => {
  // Was a bug: the bootstrap encoded its own `{ path, input }` with JSON.stringify, which calls a
  // `toJSON` agent code put on Object.prototype; that could replace the whole message's arguments
  // and add a `provenance` of the agent's choosing, which reached beforeToolCall as the call's labels
  // (with or without a prelude's tracker that attaches none).
  it('a toJSON on Object.prototype cannot choose the provenance, path or op arguments of a call', async () => {
    const seen: unknown[] = [];
    const seal = `if (typeof globalThis.${SANDBOX_GLOBALS.provenance} === 'function') globalThis.${SANDBOX_GLOBALS.provenance}(Object.freeze({ outgoing: function () { return {}; } }));`;
    const agent = `Object.prototype.toJSON = function () {
         if (typeof this.path === 'string') return { path: 'g.other', input: 'forged', provenance: 'chosen by the agent' };
         if ('key' in this) return { key: 'forged', provenance: 'chosen by the agent' };
         return this;
       };
       const echoed = await api.g.echo({ n: 1 });
       await atp.cache.set('k', 1);
       const cached = await atp.cache.get('k');
       delete Object.prototype.toJSON;
       return { echoed, cached };`;
    for (const transformCode of [undefined, (code: string) => `${seal}${code}`]) {
      const executor = make([group('g', { echo: (x) => x, other: () => 'other ran' })], {
        hooks: {
          ...(transformCode === undefined ? {} : { transformCode }),
          beforeToolCall: (context) => {
            seen.push([context.path, context.input, context.provenance]);
            return { action: 'allow' };
          },
        },
      });
      const result = await executor.execute(agent, CLIENT);
      expect(result.error).toBeUndefined();
      expect(result.result).toEqual({ echoed: { n: 1 }, cached: 1 });
    }
    expect(seen).toEqual([
      ['api.g.echo', { n: 1 }, undefined],
      ['api.g.echo', { n: 1 }, undefined],
    ]);
  });
});
