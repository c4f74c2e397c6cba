import { CLIENT, describeResult, launderingHarness } from './support';

/**
 * The labels the `ast` tracker attaches to a host call are its own objects and arrays: a `toJSON` agent
 * code puts on a prototype must not rewrite them on their way to the host (an empty list of leaves would
 * read as "carries no labelled data" and let the send through).
 */
describe('ast: the labels sent with a call cannot be rewritten by agent code', () => {
  const { setup, LOAD, send, BLOCKED } = launderingHarness();

  it.each([
    [
      'Array.prototype.toJSON returning an empty list',
      'Array.prototype.toJSON = function () { return []; };',
    ],
    [
      'Object.prototype.toJSON replacing the labels object',
      'Object.prototype.toJSON = function () { return this.v === 1 ? { v: 1, leaves: [] } : this; };',
    ],
    [
      'Object.prototype.toJSON returning undefined for the labels',
      'Object.prototype.toJSON = function () { return this.v === 1 ? undefined : this; };',
    ],
  ])('blocks the send with %s', async (_name, tamper) => {
    const { executor, sent } = setup();
    const result = await executor.execute(`${LOAD}\n${tamper}\n${send('secret')}\nreturn 'done';`, CLIENT);
    expect(describeResult(result)).toMatch(BLOCKED);
    expect(sent).toEqual([]);
  });
});
