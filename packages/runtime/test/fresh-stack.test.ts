import { onFreshStack } from '../src/sandbox/fresh-stack.js';

describe('onFreshStack', () => {
  it('makes the call after the current microtask and settles like it', async () => {
    const order: string[] = [];
    const result = onFreshStack(async () => {
      order.push('call');
      return 7;
    });
    order.push('caller');
    await expect(result).resolves.toBe(7);
    expect(order).toEqual(['caller', 'call']);
    await expect(onFreshStack(() => Promise.reject(new Error('rejected')))).rejects.toThrow('rejected');
  });

  it('turns a call that throws at once (a disposed isolate) into a rejection', async () => {
    await expect(
      onFreshStack(() => {
        throw new Error('Isolate is disposed');
      }),
    ).rejects.toThrow('Isolate is disposed');
  });
});
