import { jsonNestingDepth } from '../../src/http/json-depth';

const depth = (text: string) => jsonNestingDepth(Buffer.from(text));

describe('jsonNestingDepth', () => {
  it('counts nesting of objects and arrays, ignoring brackets inside strings and escaped quotes', () => {
    expect(depth('1')).toBe(0);
    expect(depth('{"a": [1, {"b": []}]}')).toBe(4);
    expect(depth('{"a": "[[[[{{{{"}')).toBe(1);
    expect(depth('["\\"[[[[", {"x": "\\\\"}, [[]]]')).toBe(3);
    expect(depth('[]'.repeat(1000))).toBe(1);
  });

  it('stops scanning once past the limit', () => {
    expect(depth(`${'['.repeat(50_000)}${']'.repeat(50_000)}`)).toBe(50_000);
    expect(jsonNestingDepth(Buffer.from('['.repeat(50_000)), 100)).toBe(101);
  });
});
