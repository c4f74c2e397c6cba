import { CLIENT, executors } from './helpers';

// Review of the perf4 merge (the process survives bombs), in a file of its own: the failure below
// breaks type stripping for the rest of the jest worker that runs it.

const make = executors();

describe('perf4 review: deeply nested agent code', () => {
  // KNOWN BUG (pre-existing, amaro 1.2.1): swc's wasm parser overflows its stack on deep nesting; the
  // first overflow is reported, but it leaves the wasm instance corrupt, and from the second one on
  // every `stripTypes` of the process fails with "memory access out of bounds": one client's two
  // 6 KB submissions turn every later execution of every client into a PARSE_ERROR.
  it('two deeply nested submissions do not break the parsing of later executions', async () => {
    const executor = make([]);
    const depth = 3_000;
    for (let i = 0; i < 2; i++) {
      const bomb = await executor.execute(`return ${'('.repeat(depth)}${i}${')'.repeat(depth)};`, CLIENT);
      expect(bomb.status).toBe('failed');
    }
    const later = await executor.execute('const x: number = 41; return x + 1;', CLIENT);
    expect(later).toMatchObject({ status: 'completed', result: 42 });
  });
});
