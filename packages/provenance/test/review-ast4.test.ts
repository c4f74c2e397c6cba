import { CLIENT, describeResult, launderingHarness } from './support';

/**
 * Agent code that tries to launder the mail's reset code through the operators' object check, their
 * operand label lookups and `get`'s receiver label: callable operands (functions are objects to
 * ToPrimitive), object operands on either side of a temporary, labelled numbers, texts and BigInts as
 * operands, and elements whose only label is their receiver's (a typed array, a String object).
 */
describe('ast review (operator checks and receiver labels): laundering attempts are blocked', () => {
  const { setup, LOAD, send, BLOCKED } = launderingHarness();
  const sendNumber = (expression: string) => send(`'v' + (${expression}) * 3`);
  const CALLABLE = 'const f = function () {}; f.valueOf = () => secret.charCodeAt(0) * 7 + 3;';
  const CALLABLE_TEXT = 'const f = () => 0; f[Symbol.toPrimitive] = () => secret.slice(6, 12);';

  /** Bytes the typed array itself wraps (mod 256): values no operator put in the label map. */
  const BYTES = 'const enc = new Uint8Array(secret.split("").map((c) => c.charCodeAt(0) * 7));';

  it.each([
    // ---- callable operands: ToPrimitive runs their valueOf / Symbol.toPrimitive --------------------
    [
      'a function with valueOf, left of a temporary product',
      `${CALLABLE} ${sendNumber('(f * 3 + 1) >>> 0')}`,
    ],
    [
      'a function with valueOf, right of a temporary product',
      `${CALLABLE} ${sendNumber('(3 * f + 1) >>> 0')}`,
    ],
    ['a function with valueOf, right of a temporary sum', `${CALLABLE} ${sendNumber('1 + (2 + f)')}`],
    [
      'a function with valueOf in every bitwise operator',
      `${CALLABLE} ${sendNumber('((f & 255) | (f ^ 1)) + (f << 1) + (f >> 1) + (f >>> 1)')}`,
    ],
    [
      'a function with valueOf under -, /, %, **',
      `${CALLABLE} ${sendNumber('(f - 1) + (f / 2) + (f % 5) + (f ** 1)')}`,
    ],
    [
      'a function with Symbol.toPrimitive appended to a text',
      `${CALLABLE_TEXT} let s = 'a'; s += f; ${send("s + '!'")}`,
    ],
    [
      'a function with Symbol.toPrimitive in a plain sum',
      `${CALLABLE_TEXT} const t = 'a' + f; ${send("t + '!'")}`,
    ],
    [
      'a function with valueOf in a compound member assignment',
      `${CALLABLE} const box = { v: 1 }; box.v *= f; ${sendNumber('box.v')}`,
    ],
    // ---- objects on either side of a temporary ---------------------------------------------------
    [
      'an object with valueOf, right of a temporary',
      `const o = { valueOf: () => secret.charCodeAt(1) }; ${sendNumber('(2 * o + 1) >>> 0')}`,
    ],
    [
      'an array whose toString returns the secret',
      `const a = []; a.toString = () => secret; const t = ('x' + a) + 'y'; ${send('t')}`,
    ],
    // ---- labelled primitives as operands whose label is looked up --------------------------------
    [
      'a labelled number, left of a temporary',
      `const c = secret.charCodeAt(0); ${sendNumber('(c * 33 + 7) >>> 0')}`,
    ],
    [
      'a labelled number, right of a temporary',
      `const c = secret.charCodeAt(0); ${sendNumber('(33 * c + 7) >>> 0')}`,
    ],
    ['a labelled text, left of a temporary', `const t = (secret + 'x') + 'y'; ${send('t')}`],
    ['a labelled text, right of a temporary', `const t = 'x' + ('y' + secret); ${send('t')}`],
    [
      'a labelled BigInt in temporaries',
      `const b = BigInt(secret.charCodeAt(0)); ${send("'v' + ((b * 3n + 1n) * 2n)")}`,
    ],
    // ---- `get`: an element read whose only label is its receiver's ------------------------------------
    [
      'bytes derived from the secret read by index from a typed array',
      `${BYTES} let i = [7][0]; ${sendNumber('enc[i] * 1000 + enc[i + 1]')}`,
    ],
    [
      'bytes derived from the secret read by a counter from a typed array',
      `${BYTES} let n = 0; for (let i = 7; i < 9; i++) n = n * 1000 + enc[i]; ${sendNumber('n')}`,
    ],
    [
      'a character of a String object read by index',
      `const o = new String(secret); let i = [7][0]; ${send("o[i] + o[i + 1] + '!'")}`,
    ],
  ])('blocks %s', async (_name, tail) => {
    const { executor, sent } = setup();
    const result = await executor.execute(`${LOAD}\n${tail}\nreturn 'done';`, CLIENT);
    expect(describeResult(result)).toMatch(BLOCKED);
    expect(sent).toEqual([]);
  });
});
