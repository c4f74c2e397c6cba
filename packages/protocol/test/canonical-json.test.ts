import { canonicalJson } from '../src/index';

describe('canonicalJson', () => {
  it('ignores key order and undefined members at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: undefined, w: 3 }], c: 'x' } })).toBe(
      canonicalJson({ a: { c: 'x', d: [1, { w: 3, y: 2 }] }, b: 1 }),
    );
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
    expect(canonicalJson(undefined)).toBe('null');
  });
});
