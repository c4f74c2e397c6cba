import { canonicalJSON } from '../src/index';

describe('canonicalJSON', () => {
  it('ignores key order and undefined members at every level', () => {
    expect(canonicalJSON({ b: 1, a: { d: [1, { y: 2, x: undefined, w: 3 }], c: 'x' } })).toBe(
      canonicalJSON({ a: { c: 'x', d: [1, { w: 3, y: 2 }] }, b: 1 }),
    );
    expect(canonicalJSON({ a: [1, 2] })).not.toBe(canonicalJSON({ a: [2, 1] }));
    expect(canonicalJSON(undefined)).toBe('null');
  });
});
