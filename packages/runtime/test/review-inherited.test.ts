import { SANDBOX_GLOBALS } from '@agent-tool-protocol/protocol';
import { CLIENT, executors, group } from './helpers';

// What a provenance tracker hands the bootstrap for a call is read from its own fields: the no-op
// tracker that seals the seam answers `{}`, whose `labels` and `incoming` would otherwise be whatever
// agent code puts on Object.prototype.

const make = executors();
const SEAL = `if (typeof globalThis.${SANDBOX_GLOBALS.provenance} === 'function') globalThis.${SANDBOX_GLOBALS.provenance}(Object.freeze({ outgoing: function () { return {}; } }));`;

describe('a tracker answer is read from its own fields', () => {
  it('a getter on Object.prototype cannot attach labels or a result hook to a call through the sealed seam', async () => {
    const seen: unknown[] = [];
    const executor = make([group('g', { echo: (x) => x })], {
      hooks: {
        transformCode: (code: string) => `${SEAL}${code}`,
        beforeToolCall: (context) => {
          seen.push([context.path, context.input, context.provenance]);
          return { action: 'allow' };
        },
      },
    });
    const result = await executor.execute(
      `let hooked = 0;
       Object.defineProperty(Object.prototype, 'labels', { get() { return { v: 1, leaves: [] }; }, configurable: true });
       Object.defineProperty(Object.prototype, 'incoming', { get() { return (value) => { hooked++; return 'replaced'; }; }, configurable: true });
       const echoed = await api.g.echo({ n: 1 });
       delete Object.prototype.labels;
       delete Object.prototype.incoming;
       return { echoed, hooked };`,
      CLIENT,
    );
    expect(result.error).toBeUndefined();
    expect(result.result).toEqual({ echoed: { n: 1 }, hooked: 0 });
    expect(seen).toEqual([['api.g.echo', { n: 1 }, undefined]]);
  });
});
