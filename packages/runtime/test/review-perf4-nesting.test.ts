import { CLIENT, executors } from './helpers';

// Review of the perf4 merge (the process survives bombs), in a file of its own: without the fix, the
// failure below breaks type stripping for the rest of the jest worker that runs it.

const make = executors();

describe('perf4 review: deeply nested agent code', () => {
  // Was a bug (amaro 1.2.1): swc's wasm parser overflows its stack on deep nesting and is left
  // corrupt; from the second overflow on, every `stripTypes` of the process failed with "memory
  // access out of bounds": one client's two 6 KB submissions turned every later execution of every
  // client into a PARSE_ERROR. Now a failure that is not swc's verdict gets a fresh amaro instance.
  it('two deeply nested submissions do not break the parsing of later executions', async () => {
    const executor = make([]);
    const depth = 3_000;
    for (let i = 0; i < 2; i++) {
      const bomb = await executor.execute(`return ${'('.repeat(depth)}${i}${')'.repeat(depth)};`, CLIENT);
      expect(bomb).toMatchObject({ status: 'failed', error: { code: 'PARSE_ERROR' } });
    }
    const unary = await executor.execute(`return ${'!'.repeat(30_000)}1;`, CLIENT);
    expect(unary).toMatchObject({ status: 'failed', error: { code: 'PARSE_ERROR' } });
    const later = await executor.execute('const x: number = 41; return x + 1;', CLIENT);
    expect(later).toMatchObject({ status: 'completed', result: 42 });
    // The transform path (an enum) works too.
    const transformed = await executor.execute('enum E { A = 2 }\nreturn E.A;', CLIENT);
    expect(transformed).toMatchObject({ status: 'completed', result: 2 });
  });
});
