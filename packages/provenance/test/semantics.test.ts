import { ProvenanceMode } from '@agent-tool-protocol/protocol';
import { InstrumentationError, instrumentCode } from '../src/index.js';
import { CLIENT, scenario, securedExecutors } from './support';

/** Ordinary agent programs must compute the same results instrumented (`ast`) as not (`none`). */
const PROGRAMS: Record<string, string> = {
  arithmetic: `let x = 7; x += 3; x -= 1; x *= 2; x /= 3; x %= 5; x **= 2; x <<= 1; x >>= 1; x >>>= 0; x |= 8; x &= 12; x ^= 5;
    let y = 10; const a = y++; const b = ++y; const c = y--; const d = --y; return [x, a, b, c, d, y, -x, +'4', ~5, 2 ** 10];`,
  'bigint and mixed +': `let n = 10n; n++; n += 5n; return [String(n * 2n), '1' + 2, 1 + '2', [1] + [2], {} + 'x', null + 1, undefined + 'u'];`,
  'members and updates': `const o = { a: 1, b: { c: 'x' } }; o.a++; ++o.a; o['a'] += 10; o.b.c += 'y'; const k = 'a'; o[k] *= 2; const arr = [1, 2, 3]; arr[1] += arr[0]; arr[arr.length - 1]++; return [o, arr];`,
  'private fields and classes': `class A { #n = 1; static s = 'S'; get n() { return this.#n; } inc() { this.#n += 2; this.#n++; return this.#n; } #hidden() { return 'h' + this.#n; } show() { return this.#hidden(); } }
    class B extends A { constructor() { super(); this.z = 'z'; } show() { return super.show() + this.z; } }
    const b = new B(); b.inc(); return [b.n, b.show(), A.s, b instanceof A];`,
  templates:
    'const v = 3; const t = `a${v}b${v + 1}c`; const raw = String.raw`x\\ny${v}`; const tag = (s, ...vals) => s.raw.join("|") + vals.join(","); return [t, raw, tag`p${1}q${2}r`, `${[1, 2]}`];',
  'optional chaining': `const o = { a: { b: () => 'called', arr: [1, 2] }, n: null };
    return [o?.a?.b(), o.n?.b(), o.n?.b.c.d, o.a.arr?.[1], o.missing?.(), o.a?.['b']?.(), o.x?.y.z(), (o.n ?? 'dflt')];`,
  'destructuring and spread': `const [a, , b = 5, ...rest] = [1, 2, undefined, 4, 5]; const { x, y: { z = 'zz' } = {}, ...others } = { x: 1, q: 2, r: 3 };
    const [c1, c2] = 'hi'; const s = [...'abc', ...[1, 2]]; const m = Math.max(...[3, 9, 4]); const merged = { ...{ a: 1 }, b: 2, ...'ok' };
    let p, q; [p, q] = [q, p] = [1, 2]; return [a, b, rest, x, z, others, c1, c2, s, m, merged, p, q];`,
  'functions, this, arguments': `const obj = { v: 2, m() { return this.v; }, f: function () { return arguments.length; } };
    function outer() { return [].slice.call(arguments).reverse(); } const bound = obj.m.bind({ v: 9 });
    return [obj.m(), obj.f(1, 2, 3), outer(1, 2), bound(), (function () { return typeof this; })(), ((a, b = a + 1) => a + b)(1)];`,
  'strings and arrays': `const s = 'Hello, World'; const words = s.split(', ');
    return [s.slice(1, 4), s.replace(/o/g, '0'), s.replace('World', (m) => m.toUpperCase()), words.map((w) => w.length), words.join('+'),
      s.padStart(15, '*'), [3, 1, 2].sort((a, b) => a - b), [1, 2, 3].reduce((a, b) => a + b, 0), s.at(-1), s.charCodeAt(0), String.fromCharCode(72, 105),
      JSON.parse(JSON.stringify({ a: [1, 'x'] })), Object.entries({ k: 1 }), Array.from({ length: 3 }, (_, i) => i * 2), 'abc'[1], [...'héllo'].length];`,
  'generators and iteration': `function* gen() { let i = 0; while (i < 3) yield i++; } const out = []; for (const v of gen()) out.push(v);
    const m = new Map([['a', 1]]); for (const [k, v] of m) out.push(k + v); for (const k in { p: 1, q: 2 }) out.push(k);
    outer: for (let i = 0; i < 3; i++) { for (let j = 0; j < 3; j++) { if (j === 1) continue outer; if (i === 2) break outer; out.push(i + '' + j); } }
    return out;`,
  'async and promises': `async function twice(v) { await null; return v * 2; } const all = await Promise.all([1, 2, 3].map(twice));
    const settled = await Promise.allSettled([Promise.reject(new Error('no')), twice(4)]);
    async function* agen() { yield 1; yield 2; } const got = []; for await (const v of agen()) got.push(v);
    return [all, settled.map((s) => s.status), got];`,
  'errors and typeof': `let caught = ''; try { null.x; } catch (e) { caught = e instanceof TypeError ? 'TypeError' : 'other'; }
    let notFn = ''; try { ({}).nope(); } catch (e) { notFn = e.constructor.name; }
    let sym = ''; try { \`\${Symbol('s')}\`; } catch (e) { sym = e.constructor.name; }
    const o = { a: 1 }; delete o.a; delete o['b']; return [caught, notFn, sym, typeof undeclaredThing, typeof o.a, 'a' in o, void 0];`,
  'getters, setters, symbols': `const o = { _v: 1, get v() { return this._v + 1; }, set v(x) { this._v = x * 10; }, [Symbol.iterator]: function* () { yield 'it'; } };
    o.v = 2; o.v += 1; const t = { [Symbol.toPrimitive](hint) { return hint === 'number' ? 42 : 'str'; } };
    return [o.v, [...o], +t, \`\${t}\`, t + ''];`,
  'object operands converted in order': `const log = []; const mk = (n, v) => ({ valueOf() { log.push('v' + n); return v; }, toString() { log.push('s' + n); return 'S' + n; } });
    const a = mk(1, 3); const b = mk(2, 4); const d = new Date(0);
    const r = [a + b, a * b - b, (a + 1) * (b + 2), -a, ~b, \`\${a}|\${b}\`, 'x' + a, d + 1 === d.toString() + '1', d - 0, [1, 2] + b];
    let c = mk(3, 10); c++; let e = mk(4, 5); e *= 2; let s = ''; s += a; s += mk(5, 'z');
    const f = () => 1; let err = ''; try { ({ valueOf() { return {}; }, toString() { return {}; } }) * 2; } catch (x) { err = x.constructor.name; }
    return [r, c, e, s, typeof (f + ''), err, log];`,
  'api calls and results': `const news = await api.news.headlines(); const titles = news.map((n) => n.title); const first = news?.[0]?.title;
    return { count: news.length, titles, first, joined: titles.join(' / ') };`,
  'use strict directive': `'use strict'; let err = ''; try { undeclaredVariable = 1; } catch (e) { err = e.constructor.name; } return [err, (function () { return this; })()];`,
  'new expressions': `class P { constructor(a, b) { this.sum = a + b; } } const d = new Date(0); const re = new RegExp('a+', 'g');
    return [new P(...[1, 2]).sum, d.getTime(), 'caaab'.replace(re, 'X'), new Array(3).length, new Map([[1, 'a']]).get(1), new Set('aab').size];`,
};

describe('instrumented code keeps its meaning', () => {
  const make = securedExecutors();
  const world = scenario();
  const plain = make(world.groups, { provenanceMode: ProvenanceMode.NONE }).executor;
  const tracked = make(world.groups, { provenanceMode: ProvenanceMode.AST }).executor;

  it.each(Object.entries(PROGRAMS))('%s', async (_name, code) => {
    const expected = await plain.execute(code, CLIENT);
    const actual = await tracked.execute(code, CLIENT);
    expect(expected.status).toBe('completed');
    expect(actual.status).toBe('completed');
    expect(actual.result).toEqual(expected.result);
  });

  it('hides the provenance seam and the helpers from agent code', async () => {
    const result = await tracked.execute(
      `return [typeof globalThis.__atp_provenance, typeof globalThis.__atp_p, Object.keys(globalThis).filter((k) => k.startsWith('__atp')).length];`,
      CLIENT,
    );
    expect(result.result).toEqual(['undefined', 'undefined', 0]);
  });

  it('reports agent errors the same way', async () => {
    const code = `const x = undefined; return x.y.z;`;
    const expected = await plain.execute(code, CLIENT);
    const actual = await tracked.execute(code, CLIENT);
    expect(actual.status).toBe('failed');
    expect(actual.error?.message).toBe(expected.error?.message);
  });

  it('runs TypeScript (types are stripped before instrumentation)', async () => {
    const code = `interface T { a: number } const t: T = { a: 2 }; const f = (x: number): string => \`n=\${x}\`; return f(t.a);`;
    const actual = await tracked.execute(code, CLIENT);
    expect(actual.result).toBe('n=2');
  });
});

describe('instrumentCode', () => {
  const make = securedExecutors();
  it('rejects reserved identifiers, with statements and unparsable code', () => {
    expect(() => instrumentCode('const __atp_p = 1;')).toThrow(InstrumentationError);
    expect(() => instrumentCode('__atp_provenance({});')).toThrow(/reserved/);
    expect(() => instrumentCode('with ({}) { x + 1; }')).toThrow(/with/);
    expect(() => instrumentCode('let = = 1')).toThrow(/could not be parsed/);
  });

  it('rejects code the runtime would otherwise run untracked (security_violation before any call)', async () => {
    const world = scenario();
    const { executor } = make(world.groups, { provenanceMode: ProvenanceMode.AST });
    const result = await executor.execute(
      `const __atp_p = {}; await api.email.send({ to: 'x', body: 'y' });`,
      CLIENT,
    );
    expect(result.status).toBe('security_violation');
    expect(result.error?.message).toMatch(
      /rejected by transformCode: identifiers starting with "__atp_" are reserved/,
    );
    const withStatement = await executor.execute(
      `with ({ a: 1 }) { await api.email.send({ to: 'x', body: a }); }`,
      CLIENT,
    );
    expect(withStatement.status).not.toBe('completed');
    expect(world.sent).toEqual([]);
  });

  it('routes operators, templates, calls and indexing through the helpers', () => {
    const out = instrumentCode(
      'const s = a + `x${b}`; s.toUpperCase(); s[0]; f(s); new C(s); x -= 1; y = i++; j--; o.n *= 2; o.m++;',
    );
    const body = out.slice(out.indexOf('})();') + 5);
    for (const helper of [
      'add(',
      'tpl(',
      'call(',
      'get(',
      'fn(',
      'nw(',
      'sub(',
      'post(',
      'step(',
      'opM(',
      'updM(',
    ]) {
      expect(body).toContain(`__atp_p.${helper}`);
    }
    // A statement's `j--` needs no old value.
    expect(body).toContain('j = __atp_p.step(j, -1);');
  });
});
