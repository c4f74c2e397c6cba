import { instrumentCode } from '../src/index.js';
import { CLIENT, describeResult, launderingHarness, SECRET, USER_ADDRESS } from './support';

/**
 * The `ast` fast paths: operators over variables that provably hold only numbers computed from the
 * code's own literals stay plain JavaScript, and a local only ever appended to (`s += line`) keeps its
 * latest text out of the label map until it is read. Each fast path is checked both ways: where it
 * applies, and that labelled data still flows where it must.
 */

/** The instrumented agent code, without the prelude. */
const instrumented = (code: string) => {
  const out = instrumentCode(code);
  const seam = '(globalThis.__atp_provenance);';
  return out.slice(out.indexOf(seam) + seam.length);
};
const ARITHMETIC_HELPERS =
  /__atp_p\.(add|sub|mul|div|mod|pow|and|or|xor|shl|shr|ushr|op|un|step|post|append)\(/;

describe('unlabelled numbers (static analysis)', () => {
  it.each([
    [
      'a loop counter and a checksum over it',
      'let c = 0; for (let i = 0; i < 10; i++) c = (c * 31 + i) % 7; return c;',
    ],
    [
      'compound assignments and updates',
      'let n = 1; n += 2; n *= 3; n -= 1; n **= 2; --n; n++; return -n + ~n;',
    ],
    [
      'flags and conditionals',
      'let on = false; let k = 0; for (let i = 0; i < 3; i++) { on = !on; k = on ? k + 1 : k - 1; } return k;',
    ],
    [
      'a counter written in a closure with a literal',
      'let hits = 0; const bump = () => { hits += 1; }; bump(); return hits * 2;',
    ],
    ['var hoisting', 'function f() { t = t + 1; var t = 0; return t; } return f();'],
  ])('leaves %s uninstrumented', (_name, code) => {
    expect(instrumented(code)).not.toMatch(ARITHMETIC_HELPERS);
  });

  it.each([
    ['a global (never declared)', 'x + 1;'],
    ['a global with the name of a block-scoped local', '{ let x = 1; } x + 1;'],
    ['a value read from a result', 'let t = 0; for (const o of xs) t += o.price; return t;'],
    [
      'a write in a closure from a parameter',
      'let n = 0; const set = (v) => { n = v; }; set(y); return n + 1;',
    ],
    ['a for...of variable', 'for (let i of xs) i + 1;'],
    ['a for...in variable', 'for (const k in o) k + 1;'],
    ['destructuring', 'let [a] = xs; a + 1;'],
    ['destructuring assignment', 'let a = 0; [a] = xs; a + 1;'],
    ['a parameter', 'function f(a) { return a + 1; }'],
    ['var redeclaring a parameter', 'function f(a) { var a; return a + 1; }'],
    ['a catch parameter, also through annex-B var', 'try { f(); } catch (e) { var e = 1; e + 1; }'],
    ['a string', "let s = 'a'; s + 1;"],
    ['a call result', 'let n = 0; n = parseInt(s); n + 1;'],
    ['a member read', 'let n = 0; n = o.n; n + 1;'],
    ['undefined read as a global', 'let n = undefined; n + 1;'],
    [
      'an outer variable written through a named function expression',
      'let x = 0; function f() { const g = function x() {}; x = y; } x + 1;',
    ],
    [
      'any variable named like a function declared in a block (annex B)',
      'let x = 0; function f() { x = y; { let x; { function x() {} } } } x + 1;',
    ],
    [
      'a default value reading an outer variable',
      'let k = y; function f(a = k + 1) { var k = 1; return a; }',
    ],
    ['a shadowing inner variable', 'let n = 0; { let n = y; n + 1; }'],
  ])('keeps tracking %s', (_name, code) => {
    expect(instrumented(code)).toMatch(ARITHMETIC_HELPERS);
  });

  it('marks indexing by an unlabelled counter (only the receiver labels the element)', () => {
    const body = instrumented('for (let i = 0; i < s.length; i++) s[i]; s[j];');
    expect(body).toContain('__atp_p.get(s, i, 8)');
    expect(body).toContain('__atp_p.get(s, j, 0)');
  });
});

describe('string accumulators (static analysis)', () => {
  it('keeps the text of a local only assigned and appended to pending, and flushes it when read', () => {
    const body = instrumented(
      "let s = ''; for (const x of xs) s += x + ','; let t = 'a'; t = t + s.length; f(s, t); return { s };",
    );
    expect(body).toMatch(/let s = '', __atp_a\d+ = __atp_p\.slot\(\)/);
    expect(body).toMatch(
      /s = __atp_p\.append\(__atp_p\.hold\(s, __atp_a\d+\), __atp_p\.addT\(x, 0, ',', 4\), __atp_a\d+, 2\)/,
    );
    // A string's `length` leaves its text pending (anything else in the slot is flushed first).
    expect(body).toMatch(
      /t = __atp_p\.append\(__atp_p\.hold\(t, __atp_a\d+\), \(typeof s === "string" \? s : __atp_p\.flushed\(s, __atp_a\d+\)\)\.length, __atp_a\d+\)/,
    );
    expect(body).toMatch(
      /__atp_p\.fn\(f, \[__atp_p\.flushed\(s, __atp_a\d+\), __atp_p\.flushed\(t, __atp_a\d+\)\]/,
    );
    expect(body).toMatch(/s: __atp_p\.flushed\(s, __atp_a\d+\)/);
  });

  it('keeps a var slot across redeclarations', () => {
    expect(instrumented("var s = ''; s += x; var s; g(s);")).toMatch(
      /var s = '', (__atp_a\d+) = __atp_p\.slot\(\1\)/,
    );
  });

  it.each([
    ['a const', "const s = ''; f(s + x);"],
    ['a parameter', 'function g(s) { s += x; return s; }'],
    ['a variable also updated with ++', "let s = ''; s += x; s++; f(s);"],
    ['a variable also written by destructuring', "let s = ''; s += x; [s] = ys; f(s);"],
    ['a variable also written with ||=', "let s = ''; s += x; s ||= y; f(s);"],
    ['a for...of variable', 'for (let s of xs) { s += x; f(s); }'],
    ['a global', 's += x; f(s);'],
  ])('does not treat %s as an accumulator', (_name, code) => {
    expect(instrumented(code)).not.toMatch(/__atp_p\.(append|hold|flushed|slot)\(/);
  });
});

describe('temporaries (operands only their consumer sees)', () => {
  it('passes the labels of nested arithmetic to the consuming operator instead of the map', () => {
    const body = instrumented('function f(h) { g(t[h * w + k]); return (h * 33 + c) >>> 0; }');
    expect(body).toContain(
      'return __atp_p.ushrT(__atp_p.addT(__atp_p.mulT(h, 0, 33, 4), __atp_p.tk(), c, 5), __atp_p.tk(), 0, 1)',
    );
    expect(body).toContain('__atp_p.get(t, __atp_p.addT(__atp_p.mulT(h, 0, w, 4), __atp_p.tk(), k, 5), 16)');
  });

  it('keeps a local assigned arithmetic in a slot, read by operators with its label', () => {
    const body = instrumented(
      'let h = x; for (const c of s) h = (h * 33 + c) >>> 0; if (h > 9) y = t[h]; h = z; return h;',
    );
    expect(body).toMatch(/let h = x, (__atp_a\d+) = __atp_p\.slot\(\)/);
    expect(body).toMatch(
      /h = __atp_p\.store\(__atp_p\.ushrT\(__atp_p\.addT\(__atp_p\.mulT\(__atp_p\.rd\(h, (__atp_a\d+)\), __atp_p\.tk\(\), 33, 5\), __atp_p\.tk\(\), c, 5\), __atp_p\.tk\(\), 0, 5\), \1\)/,
    );
    expect(body).toContain('if (h > 9)');
    expect(body).toMatch(/__atp_p\.get\(t, __atp_p\.rd\(h, __atp_a\d+\), 16\)/);
    expect(body).toMatch(/h = __atp_p\.put\(z, __atp_a\d+\)/);
    expect(body).toMatch(/return __atp_p\.flushed\(h, __atp_a\d+\)/);
  });

  it('computes no label for the operands of a comparison, and only of a comparison', () => {
    const body = instrumented('if (a * b > c) f(); if (a + b in o) f(); if (a + b instanceof C) f();');
    expect(body).toContain('__atp_p.mulT(a, 0, b, 8) > c');
    expect(body).toContain('__atp_p.add(a, b) in o');
    expect(body).toContain('__atp_p.add(a, b) instanceof C');
  });

  it('hands an appended sum to the accumulator as a temporary', () => {
    expect(instrumented("let s = ''; for (const x of xs) s += x.id + ': ' + x.t;")).toMatch(
      /s = __atp_p\.append\(__atp_p\.hold\(s, __atp_a\d+\), __atp_p\.addT\(__atp_p\.addT\(x\.id, 0, ': ', 4\), __atp_p\.tk\(\), x\.t, 5\), __atp_a\d+, 2\)/,
    );
  });
});

describe('fast paths keep labels where they must flow', () => {
  const { setup, LOAD, send, BLOCKED } = launderingHarness();

  it.each([
    [
      'a hash of the characters (counter-indexed loop)',
      `let h = 0; for (let i = 0; i < secret.length; i++) h = (h * 31 + secret.charCodeAt(i)) % 1000003; ${send("'h=' + h")}`,
    ],
    [
      'digits rebuilt into a number with an accumulator',
      `const d = []; for (let i = 0; i < secret.length; i++) { const c = secret.charCodeAt(i); if (c >= 48 && c <= 57) d.push(c - 48); }
       let n = 0; for (let k = 0; k < d.length; k++) n = n * 10 + d[k]; ${send("'' + n")}`,
    ],
    [
      'a counter-indexed copy of the characters',
      `let out = ''; for (let i = secret.length - 1; i >= 0; i--) out = secret[i] + out; ${send('out')}`,
    ],
    [
      'a variable a closure sets from labelled data',
      `let first = 0; const keep = (v) => { first = v; }; keep(secret.charCodeAt(0)); ${send("'c' + (first + 1)")}`,
    ],
    [
      'array methods and a counted sum',
      `const codes = secret.split('').map((c) => c.charCodeAt(0)); let total = 0; for (let i = 0; i < codes.length; i++) total += codes[i]; ${send("'sum ' + total")}`,
    ],
    [
      'reduce over objects built in a loop',
      `const rows = []; for (let i = 0; i < 3; i++) rows.push({ i, text: secret.slice(i) }); ${send("rows.reduce((acc, r) => acc + r.text.length + r.text, '')")}`,
    ],
    [
      'a long string built with +=',
      `let big = ''; for (let i = 0; i < 100; i++) big += i + ':' + secret + ';'; ${send('big')}`,
    ],
    [
      'a slice of a long labelled string',
      `let big = ''; for (let i = 0; i < 100; i++) big += secret; ${send('big.slice(600, 615)')}`,
    ],
    [
      'an accumulator read half-way (a snapshot)',
      `let s = 'p:'; s += secret; const snap = s; s += '!'; s = ''; ${send('snap')}`,
    ],
    [
      'an accumulator read through a closure',
      `let s = ''; const read = () => s; s += secret + '-'; const copy = read(); s += 'more'; s = ''; ${send('copy')}`,
    ],
    [
      'an accumulator pushed at every step',
      `const steps = []; let s = '#'; for (let i = 0; i < secret.length; i++) { s += secret[i]; steps.push(s); } s = ''; ${send('steps[6]')}`,
    ],
    [
      'an accumulator appended to by a call on the right-hand side',
      `let s = 'p:'; s += secret; const more = () => { s += 'x'; return ''; }; s += more(); ${send('s')}`,
    ],
    [
      'an accumulator appended to by toString during the append',
      `let s = 'p:'; s += secret; const o = { toString() { s += 'z'; return ''; } }; s += o; ${send('s')}`,
    ],
    [
      'an accumulator appended to by another async task during an await',
      `let s = 'p:'; s += secret; const other = (async () => { await null; s += 'y'; })(); s += await Promise.resolve(''); await other; ${send('s')}`,
    ],
    [
      'an accumulator in a recursive function',
      `function build(n) { let s = 'r' + n; if (n > 0) s += build(n - 1); s = s + secret.slice(n, n + 1); return s; } ${send('build(4)')}`,
    ],
    ['the value of an append expression, sent at once', `let s = ''; ${send('s += secret')}`],
    [
      'the value of an append expression, kept and the accumulator reset',
      `let s = 'p:'; const snap = (s = s + secret); s = ''; ${send('snap')}`,
    ],
    [
      'an accumulator read through an agent getter on String.prototype',
      `let seen = ''; Object.defineProperty(String.prototype, 'peek', { get() { seen = this; return 0; }, configurable: true }); let s = 'p:'; s += secret; s.peek; s = ''; ${send("seen + ''")}`,
    ],
    [
      "a function's arguments object shadowing an outer numeric local named arguments",
      `var arguments = 0; function f() { arguments.toString = () => arguments[0]; return arguments + 0; } ${send('f(secret)')}`,
    ],
    [
      'a lookup keyed by arguments inside a function',
      `var arguments = 1; const table = {}; for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-') table[c] = c; function f() { return table[arguments[0]]; } ${send('f(secret[0]) + f(secret[1])')}`,
    ],
    [
      'a nested sum whose right operand produces an unlabelled temporary of its own',
      `const one = [7919][0]; const clean = () => one * 2 + 3; const v = secret.charCodeAt(0) * 2 + clean(); ${send("'' + v")}`,
    ],
    [
      'a nested sum whose right operand awaits while another task produces temporaries',
      `const one = [7919][0]; const other = (async () => { await null; for (let k = 0; k < 3; k++) one * 2 + 3; })(); const v = secret.charCodeAt(1) * 2 + (await Promise.resolve(5)); await other; ${send("'' + v")}`,
    ],
    [
      "a temporary right operand consumed while the left operand's valueOf produces temporaries",
      `const one = [7919][0]; const o = { valueOf() { one * 2 + 3; return 0; } }; const v = o + secret.charCodeAt(2) * 3; ${send("'' + v")}`,
    ],
    [
      'a temporary key read through a getter that produces temporaries',
      `const one = [7919][0]; const ALPHA = 'abcdefghijklmnopqrstuvwxyz'; const table = {}; for (let i = 0; i < 128; i++) { const ch = ALPHA[i % 26]; Object.defineProperty(table, i, { get() { one * 2 + 3; return ch; } }); } ${send('table[secret.charCodeAt(0) * 1 + 0]')}`,
    ],
    [
      'a temporary appended to an accumulator whose toString produces temporaries',
      `const one = [7919][0]; let s = { toString() { one * 2 + 3; return 'p:'; } }; s += secret + '!'; ${send('s')}`,
    ],
    [
      'a sum handed to Symbol.hasInstance by instanceof',
      `let seen = ''; class Spy { static [Symbol.hasInstance](v) { seen = v; return false; } } if (secret + '!' instanceof Spy) seen = '?'; ${send("seen + ''")}`,
    ],
    [
      'a long string built from nested temporaries',
      `let out = ''; for (let i = 0; i < 20; i++) out = out + '[' + (secret.length * i + secret.charCodeAt(i % 5)) + ']'; ${send('out')}`,
    ],
    [
      'a local assigned arithmetic over labelled data, then copied',
      `let h = [7919][0]; h = secret.charCodeAt(0) * 2 + 1; const copy = h; ${send("'' + copy")}`,
    ],
    [
      'a local assigned arithmetic, read by an operator and by a closure',
      `let h = [7919][0]; for (let i = 0; i < secret.length; i++) h = (h * 31 + secret.charCodeAt(i)) >>> 0; const twice = () => h * 2; ${send("'' + twice()")}`,
    ],
    [
      'a local assigned arithmetic while an append to it is in flight',
      `let h = ''; h += 'x' + secret; h += (() => { h = [3][0] * 2; return ''; })(); ${send('h')}`,
    ],
    [
      // 'Local team wins'.charCodeAt(6) and the secret's charCodeAt(4) are both 116 ('t'): the slot's
      // label is the news, the label map also knows 116 from the mail, and a read gets both.
      'a slotted number whose value the label map also knows from the mail',
      `const news = await api.news.headlines(); let h = [7919][0]; h = news[1].title.charCodeAt(6) * 1; const e = secret.charCodeAt(4) * 1; ${send("'' + h * 1")}`,
    ],
    [
      'an accumulator reassigned an equal text from the mail, then appended to',
      `const news = await api.news.headlines(); const pub = String(news[1].title.charCodeAt(6)); let s = ''; s += pub; const priv = String(secret.charCodeAt(4)); s = priv; s += '!'; ${send('s')}`,
    ],
    [
      'a sum over an object whose toString returns the secret',
      `const o = { toString() { return secret; } }; ${send("'x' + o")}`,
    ],
    [
      'a product over an object whose valueOf returns a labelled number',
      `const o = { valueOf() { return secret.charCodeAt(0); } }; const v = o * 2; ${send("'' + v")}`,
    ],
    [
      'nested arithmetic over an object whose valueOf returns a labelled number',
      `const o = { valueOf() { return secret.charCodeAt(0); } }; ${send("'' + ((o * 1) + 1)")}`,
    ],
    [
      'a template over an object whose toString returns the secret',
      `const o = { toString() { return secret; } }; ${send('`x${o}`')}`,
    ],
    [
      'an object converted by Symbol.toPrimitive, negated and incremented',
      `const o = { [Symbol.toPrimitive]() { return secret.charCodeAt(1); } }; let n = o; n++; ${send("'' + (-o) + ':' + n")}`,
    ],
    [
      'an accumulator appended an object whose toString returns the secret',
      `let s = 'p:'; s += 'q'; s += { toString() { return secret; } }; s += '!'; ${send('s')}`,
    ],
    [
      'a compound assignment with an object operand',
      `let t = [7919][0]; t -= { valueOf() { return secret.charCodeAt(2); } }; ${send("'' + t")}`,
    ],
    [
      'a compound assignment to a property with an object operand',
      `const box = { t: 7919 }; box.t -= { valueOf() { return secret.charCodeAt(2); } }; ${send("'' + box.t")}`,
    ],
    [
      'a long JSON text round trip',
      `const doc = JSON.stringify({ rows: Array.from({ length: 60 }, (_, i) => ({ i, code: secret })) }); ${send('JSON.parse(doc).rows[42].code')}`,
    ],
  ])('blocks %s', async (_name, tail) => {
    const { executor, sent } = setup();
    const result = await executor.execute(`${LOAD}\n${tail}\nreturn 'done';`, CLIENT);
    expect(describeResult(result)).toMatch(BLOCKED);
    expect(sent).toEqual([]);
  });

  it('blocks a hash whose nested temporaries were computed before any labelled data entered', async () => {
    const { executor, sent } = setup();
    const code = `let h = [17][0];
      for (let i = 0; i < 5; i++) h = (h * 33 + i) >>> 0;
      const before = (h * 3 + 1) * 2;
      ${LOAD}
      h = (h * 33 + secret.charCodeAt(0)) >>> 0;
      ${send("'h=' + h + ' ' + before")}
      return 'done';`;
    const result = await executor.execute(code, CLIENT);
    expect(describeResult(result)).toMatch(BLOCKED);
    expect(sent).toEqual([]);
  });

  it('lets counters and long public text through after reading private mail', async () => {
    const { executor, sent } = setup();
    const code = `${LOAD}
      let n = 0;
      for (let i = 0; i < 1000; i++) n = (n + i * 7) % 10007;
      let text = '';
      for (let i = 0; i < 200; i++) text += 'line ' + i + ' of the public digest\\n';
      const masked = secret.replace(/[0-9]/g, '#');
      await api.email.send({ to: '${USER_ADDRESS}', subject: 'masked', body: masked });
      ${send("'n=' + n + '\\n' + text")}
      return text.length;`;
    const result = await executor.execute(code, CLIENT);
    expect(result.status).toBe('completed');
    expect(sent).toHaveLength(2);
    expect(sent[0]?.body).toBe(SECRET.replace(/[0-9]/g, '#'));
    expect(String(sent[1]?.body)).toMatch(/^n=\d+\nline 0 of the public digest/);
  });
});
