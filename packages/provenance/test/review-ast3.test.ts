import { CLIENT, describeResult, launderingHarness } from './support';

/**
 * Review of the `ast` fast paths (temporaries, slotted arithmetic locals, object operands converted by
 * the operators, x++ on objects): agent code that tries to launder the mail's reset code through each
 * of them. Every case must be blocked by preventDataExfiltration.
 */
describe('ast review: laundering attempts are blocked', () => {
  const { setup, LOAD, send, BLOCKED } = launderingHarness();
  /** Sends a fresh text derived from a number, so no value the mail labelled is sent by coincidence. */
  const sendNumber = (expression: string) => send(`'v' + (${expression}) * 3`);
  /** A labelled numeric text whose number appears nowhere else, and a number for slotted locals. */
  const fill = (tail: string) =>
    tail
      .replaceAll('NUM', 'String(secret.charCodeAt(0)) + String(secret.charCodeAt(1))')
      .replaceAll('SLOTTED', 'secret.charCodeAt(0) * 2 + 1');

  it.each([
    // ---- ++/-- -----------------------------------------------------------------------------------
    ['the old value of x++ on a labelled numeric string', `let s = NUM; const y = s++; ${sendNumber('y')}`],
    ['the old value of x-- on a labelled numeric string', `let s = NUM; const y = s--; ${sendNumber('y')}`],
    [
      'the old value of obj.p++ on a labelled numeric string',
      `const box = { v: NUM }; const y = box.v++; ${sendNumber('y')}`,
    ],
    [
      'the old value of o++ on an object whose valueOf returns a labelled numeric string',
      `let o = { valueOf() { return NUM; } }; const y = o++; ${sendNumber('y')}`,
    ],
    [
      'the old value of o++ on an object whose valueOf returns a labelled number',
      `let o = { valueOf() { return secret.charCodeAt(0) * 1000 + 7; } }; const y = o++; ${sendNumber('y')}`,
    ],
    [
      'the new value of ++o on an object whose valueOf returns a labelled numeric string',
      `let o = { valueOf() { return NUM; } }; const y = ++o; ${sendNumber('y')}`,
    ],
    [
      'the old value of box.o++ on an object whose toString returns a labelled numeric string',
      `const box = { o: { valueOf: undefined, toString() { return NUM; } } }; const y = box.o++; ${sendNumber('y')}`,
    ],
    // ---- slotted arithmetic locals --------------------------------------------------------------
    [
      'a slotted local holding NaN computed from labelled data',
      `let h = [7919][0]; h = secret.charCodeAt(0) / 0 * 0; ${send("'v' + h")}`,
    ],
    [
      'a slotted local holding NaN, read by an operator',
      `let h = [7919][0]; h = secret.charCodeAt(0) / 0 * 0; ${send("'v' + (h + 1)")}`,
    ],
    [
      'a bit of the secret encoded as 0 or NaN in a slotted local',
      `let h = [7919][0]; h = 0 / (secret.charCodeAt(0) & 1); ${send("'bit ' + h")}`,
    ],
    [
      'a slotted local read as a shorthand property',
      `let h = [7919][0]; h = SLOTTED; const o = { h }; ${sendNumber('o.h')}`,
    ],
    [
      'a slotted local read by a default parameter',
      `let h = [7919][0]; h = SLOTTED; function f(x = h) { return x; } ${sendNumber('f()')}`,
    ],
    [
      'a slotted var redeclaring a parameter, read through arguments',
      `function f(h) { var h; h = SLOTTED; h = h * 3 + 1; return arguments[0]; } ${sendNumber('f(5)')}`,
    ],
    [
      'a slotted local yielded by a generator after a suspension',
      `function* g() { let h = [7919][0]; h = SLOTTED; yield 0; yield h; } const it = g(); it.next(); ${sendNumber('it.next().value')}`,
    ],
    [
      'a slotted local whose next store throws mid-expression',
      `let h = [7919][0]; h = SLOTTED; const boom = () => { throw new Error('x'); }; try { h = h * 5 + boom(); } catch (e) {} ${sendNumber('h')}`,
    ],
    [
      'a slotted local stored from an async task while the writer awaits',
      `let h = [7919][0]; const t = (async () => { await null; h = h * 1 + 0; })(); h = SLOTTED; await t; ${sendNumber('h')}`,
    ],
    [
      'a slotted local read by an operator whose right operand awaits while the slot is overwritten',
      `let h = [7919][0]; h = SLOTTED; const t = (async () => h * (await null, 1))(); h = [5][0] * 2; ${sendNumber('await t')}`,
    ],
    [
      'a slotted var copied in a loop where the slot survives iterations',
      `var out = []; for (let i = 0; i < 3; i++) { var h = [7919][0]; h = secret.charCodeAt(i) * 2 + 1; out.push(h); } ${send("'v' + out.join() + '!'")}`,
    ],
    [
      'a slotted local read in a switch discriminant and returned from a case',
      `let h = [7919][0]; h = SLOTTED; let r = 0; switch (h) { default: r = h; } ${sendNumber('r')}`,
    ],
    [
      'a slotted local read after a labelled continue',
      `let h = [7919][0]; let last = 0; outer: for (let i = 0; i < 3; i++) { h = secret.charCodeAt(i) * 2 + 1; for (;;) { last = h; continue outer; } } ${sendNumber('last')}`,
    ],
    [
      'a slotted local read by short-circuit operators',
      `let h = [7919][0]; h = SLOTTED; const v = (0 || h) ?? 1; ${sendNumber('v')}`,
    ],
    [
      'a slotted local read through optional chaining',
      `let h = [7919][0]; h = SLOTTED; const v = h?.toString(); ${send("'v' + v + '!'")}`,
    ],
    ['a slotted local in a template literal', `let h = [7919][0]; h = SLOTTED; ${send('`v${h}!`')}`],
    [
      'a slotted local in a tagged template',
      `let h = [7919][0]; h = SLOTTED; const tag = (s, v) => v; ${sendNumber('tag`${h}`')}`,
    ],
    [
      'a slotted local read as a comma operand',
      `let h = [7919][0]; h = SLOTTED; const v = (0, h); ${sendNumber('v')}`,
    ],
    [
      'a slotted local assigned inside a comparison, then read',
      `let h = [7919][0]; if ((h = SLOTTED) > 0) {} ${sendNumber('h')}`,
    ],
    [
      'a value assigned inside arithmetic whose result only a comparison sees',
      `let v = [7919][0]; if (((v = secret.charCodeAt(0) * 2) + 1) > 0) {} ${sendNumber('v')}`,
    ],
    [
      'a slotted local shadowed by a block-scoped local of the same name',
      `let h = [7919][0]; h = SLOTTED; { let h = [1][0]; h = h * 2; } ${sendNumber('h')}`,
    ],
    [
      'a slotted var assigned before its declaration line (hoisting)',
      `function f() { h = SLOTTED; const c = h; var h = [7919][0]; return c; } ${sendNumber('f()')}`,
    ],
    [
      'a slotted local stored twice, the first value kept by a closure',
      `let h = [7919][0]; h = SLOTTED; const keep = ((x) => () => x)(h); h = [3][0] * 2; ${sendNumber('keep()')}`,
    ],
    [
      'a slotted local passed through Array.prototype methods',
      `let h = [7919][0]; h = SLOTTED; const v = [h].map((x) => x).concat([]).pop(); ${sendNumber('v')}`,
    ],
    [
      'a slotted local in JSON.stringify',
      `let h = [7919][0]; h = SLOTTED; ${send("JSON.stringify(['v', h])")}`,
    ],
    [
      'a slotted local read by a setter it is assigned through',
      `let h = [7919][0]; let seen = 0; const o = { set v(x) { seen = x; } }; o.v = h = SLOTTED; ${sendNumber('seen')}`,
    ],
    [
      'a slotted local spread into a call',
      `let h = [7919][0]; h = SLOTTED; const id = (...a) => a[0]; ${sendNumber('id(...[h])')}`,
    ],
    [
      'a slotted local read by destructuring',
      `let h = [7919][0]; h = SLOTTED; const [v] = [h]; const { w } = { w: h }; ${sendNumber('v + w')}`,
    ],
    [
      'a slotted local used as a computed key of a getter',
      `let h = [7919][0]; h = SLOTTED; let seen = ''; const o = {}; Object.defineProperty(o, String(h), { get() { seen = 'k' + h; return 1; } }); o[h]; ${send("seen + '!'")}`,
    ],
    [
      'a slotted local read after an await in the same function',
      `let h = [7919][0]; h = SLOTTED; await null; await Promise.resolve(); ${sendNumber('h')}`,
    ],
    [
      'a slotted local used as a computed key of an object literal',
      `let h = [7919][0]; h = SLOTTED; const o = { [h]: 1 }; ${sendNumber('Number(Object.keys(o)[0])')}`,
    ],
    [
      'a slotted local read by a destructuring default',
      `let h = [7919][0]; h = SLOTTED; const { a = h } = {}; ${sendNumber('a')}`,
    ],
    [
      'a slotted number read through an agent getter for length on Number.prototype',
      `let seen = 0; Object.defineProperty(Number.prototype, 'length', { get() { seen = Number(this); return 0; }, configurable: true }); let h = [7919][0]; h = SLOTTED; h.length; ${sendNumber('seen')}`,
    ],
    [
      'a slotted BigInt read through an agent getter for length on BigInt.prototype',
      `let seen = 0n; Object.defineProperty(BigInt.prototype, 'length', { get() { seen = this.valueOf(); return 0; }, configurable: true }); let h = [7919n][0]; h = BigInt(secret.charCodeAt(0)) * 2n + 1n; h.length; ${send("'v' + seen * 3n")}`,
    ],
    [
      'a slotted local read by a class field initializer',
      `let h = [7919][0]; h = SLOTTED; class A { v = h; static w = h; } ${sendNumber('new A().v + A.w')}`,
    ],
    [
      'a slotted local read in a class static block and a computed class key',
      `let h = [7919][0]; h = SLOTTED; let seen = 0; class A { static { seen = h; } [h]() {} } ${sendNumber('seen + Number(Object.getOwnPropertyNames(A.prototype)[1])')}`,
    ],
    // ---- temporaries ----------------------------------------------------------------------------
    ['nested BigInt arithmetic', `const b = BigInt(secret.charCodeAt(0)) * 3n + 1n; ${send("'v' + b * 5n")}`],
    [
      'a nested sum whose right operand is an assignment expression',
      `let t = 0; const v = secret.charCodeAt(0) * 2 + (t = secret.charCodeAt(1) * 2); ${sendNumber('t')}`,
    ],
    [
      'a temporary left operand whose right operand is converted by agent code',
      `let seen = 0; const o = { valueOf() { seen = [1][0] * 2 + 1; return 0; } }; const v = secret.charCodeAt(0) * 2 + o; ${sendNumber('v')}`,
    ],
    [
      'Symbol.toPrimitive returning a labelled value for the number hint',
      `const o = { [Symbol.toPrimitive](hint) { return hint === 'number' ? secret.charCodeAt(0) : 0; } }; ${sendNumber('(o * 1) * 1 + 0')}`,
    ],
    [
      'valueOf with side effects storing labelled arithmetic during a comparison',
      `let leak = 0; const o = { valueOf() { leak = secret.charCodeAt(0) * 2 + 1; return 1; } }; const v = (o * 1 + 1) > 0; ${sendNumber('leak')}`,
    ],
    [
      'a function operand whose valueOf returns a labelled number',
      `const f = () => 0; f.valueOf = () => secret.charCodeAt(0); ${sendNumber('f * 2 + 1')}`,
    ],
    [
      'compound exponent and unsigned shift with labelled temporaries',
      `let t = [2][0]; t **= secret.charCodeAt(0) % 7 + 1; let u = [9][0]; u >>>= secret.charCodeAt(1) % 3 + 1; ${sendNumber('t + u')}`,
    ],
    [
      'logical assignments from labelled temporaries',
      `let t = 0; t ||= secret.charCodeAt(0) * 2 + 1; let u = null; u ??= secret.charCodeAt(1) * 2 + 1; ${sendNumber('t + u')}`,
    ],
    [
      'a string built with += from nested temporaries and a getter',
      `let s = ''; const o = { get v() { return secret.slice(0, 5); } }; s += o.v + '-' + (secret.charCodeAt(0) * 1); ${send("s + '!'")}`,
    ],
    [
      'an exception thrown inside a temporary consumer, then a fresh temporary',
      `let v = 0; try { v = secret.charCodeAt(0) * 2 + Symbol(); } catch (e) {} const w = [7][0] * 1 + secret.charCodeAt(3) * 1; ${sendNumber('w')}`,
    ],
    // ---- conversions done by natives on agent objects ---------------------------------------------
    // (A native converting an agent object itself — `'x'.concat(o)`, `[o].join('')`, `Math.abs(o)`,
    // `JSON.stringify` calling `toJSON`, `table[o]`, `[o, ''] + '!'` — is a known gap: docs/security.md.)
    [
      'a table lookup through super[key]',
      `class Base {} for (const c of 'abcdefghijklmnopqrstuvwxyz-0123456789') Base.prototype[c] = '<' + c + '>'; class Look extends Base { at(k) { return super[k]; } } ${send('new Look().at(secret[0])')}`,
    ],
    [
      'an operator over a Date built from a labelled number',
      `const d = new Date(secret.charCodeAt(0) * 86400000); ${send("d + '!'")}`,
    ],
    ['a template over an Error carrying the secret', `const e = new Error(secret); ${send('`${e}!`')}`],
    ['an operator over an Error carrying the secret', `const e = new Error(secret); ${send("'' + e + '!'")}`],
    ['an operator over a RegExp built from the secret', `const r = new RegExp(secret); ${send("r + '!'")}`],
    [
      'a Number wrapper of a labelled number converted by a method',
      `const n = Object(secret.charCodeAt(0) * 7 + 3); ${send("n.toString(2) + '!'")}`,
    ],
    [
      'the message of a TypeError naming a labelled key',
      `let m = ''; try { const o = null; o[secret]; } catch (e) { m = e.message; } ${send("m + '!'")}`,
    ],
    [
      'the message of a TypeError naming a slotted key',
      `let h = [7919][0]; h = SLOTTED; let m = ''; try { const o = null; o[h]; } catch (e) { m = e.message; } ${send("m + '!'")}`,
    ],
    [
      'the message of a SyntaxError quoting labelled text',
      `let m = ''; try { JSON.parse(secret); } catch (e) { m = e.message; } ${send("m + '!'")}`,
    ],
    [
      'the message of a SyntaxError from BigInt() quoting labelled text',
      `let m = ''; try { BigInt(secret); } catch (e) { m = e.message; } ${send("m + '!'")}`,
    ],
  ])('blocks %s', async (_name, tail) => {
    const { executor, sent } = setup();
    const result = await executor.execute(`${LOAD}\n${fill(tail)}\nreturn 'done';`, CLIENT);
    expect(describeResult(result)).toMatch(BLOCKED);
    expect(sent).toEqual([]);
  });
});
