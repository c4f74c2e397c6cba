import { MemoryCache } from '@agent-tool-protocol/protocol';
import { ALL_SERVICES, CLIENT, executors } from './helpers';

// Every error position is the agent's own line and column (1-based), whatever wraps the code: the
// sandbox's function wrapper, type stripping, or a transformCode hook that prepends a prelude.

const make = executors();
const WITH_SERVICES = { ...CLIENT, services: ALL_SERVICES };

describe('error positions in agent code', () => {
  it('a one-line script: syntax errors, also at the end of the code, at its own line and column', async () => {
    const executor = make();
    expect((await executor.execute('const b = ;', CLIENT)).error).toMatchObject({
      code: 'PARSE_ERROR',
      line: 1,
      column: 11,
      message: 'SyntaxError: Expression expected (line 1, column 11)',
    });
    // The parser runs off the end of the agent's code; it must not blame the wrapper's closing line.
    const unclosed = await executor.execute('const a = [1, 2', CLIENT);
    expect(unclosed.error).toEqual({
      code: 'PARSE_ERROR',
      line: 1,
      column: 16,
      message: 'SyntaxError: Unexpected end of input (line 1, column 16)',
    });
    const brace = await executor.execute('const x = 1;\nif (x) {\n  return x;', CLIENT);
    expect(brace.error).toMatchObject({ code: 'PARSE_ERROR', line: 3, column: 12 });
    // Rejected by V8 only (after stripping), with a TypeScript annotation before it on the same line.
    const v8 = await executor.execute('const a: number = 1; const a = 2;', CLIENT);
    expect(v8.error).toMatchObject({ code: 'PARSE_ERROR', line: 1, column: 28 });
  });

  it('a SyntaxError the running code makes is not taken for a compile error, even when it looks like one', async () => {
    const executor = make();
    // Compilation and start are one task in the isolate: its rejection is a compile error only when
    // the script never began to run.
    const lookAlike = await executor.execute(
      'Promise.reject(new SyntaxError("Unexpected token [agent.ts:1:1]")); await null; return "ran";',
      CLIENT,
    );
    expect(lookAlike.status).toBe('completed');
    expect(lookAlike.result).toBe('ran');
    expect(lookAlike.logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'Unhandled promise rejection: Unexpected token [agent.ts:1:1]',
      }),
    );
    const thrown = await executor.execute(
      'throw new SyntaxError("Unexpected token [agent.ts:1:1]");',
      CLIENT,
    );
    expect(thrown.error).toMatchObject({ code: 'RUNTIME_ERROR' });
  });

  it('a one-line script: runtime errors and every stack frame at the agent position', async () => {
    const executor = make();
    const result = await executor.execute(
      'function f(o: any): number { return o.x; } const n: number = 1; return f(null) + n;',
      CLIENT,
    );
    expect(result.error).toMatchObject({ code: 'RUNTIME_ERROR', line: 1, column: 39 });
    expect(result.error?.stack?.split('\n').slice(1)).toEqual([
      '    at f (agent.ts:1:39)',
      '    at agent.ts:1:72',
    ]);
    const caught = await executor.execute(
      'try { null.y; } catch (e) { return e.stack.split("\\n")[1].trim(); }',
      CLIENT,
    );
    expect(caught.result).toBe('at agent.ts:1:12');
  });

  it('a prelude prepended by transformCode moves no position of the agent code', async () => {
    const seen: string[] = [];
    const prelude = 'const __atp_seen = 1; void __atp_seen;';
    const executor = make([], {
      hooks: {
        transformCode: (code) => {
          seen.push(code);
          return `${prelude}${code}`;
        },
      },
    });
    const runtime = await executor.execute('const o: any = null; return o.x;', CLIENT);
    expect(runtime.error).toMatchObject({ code: 'RUNTIME_ERROR', line: 1, column: 31 });
    const syntax = await executor.execute('const a = 1; const a = 2;', CLIENT);
    expect(syntax.error).toMatchObject({ code: 'PARSE_ERROR', line: 1, column: 20 });
    const multiLine = make([], { hooks: { transformCode: (code) => `let p = 1;\n// prelude\n${code}` } });
    const second = await multiLine.execute('const x = 1;\n  x.y.z;', CLIENT);
    expect(second.error).toMatchObject({ code: 'RUNTIME_ERROR', line: 2, column: 7 });
    // The prelude still runs first: it is part of the agent's function.
    const reads = await executor.execute('return typeof __atp_seen;', CLIENT);
    expect(reads).toMatchObject({ status: 'completed', result: 'number' });
    expect(seen).toContain('return typeof __atp_seen;');
  });

  it('after a durable resume (the code compiled again from stored state) positions stay the same', async () => {
    const cache = new MemoryCache();
    const transformCode = (code: string) => `void 0; void 1;${code}`;
    const first = make([], { cache, hooks: { transformCode } });
    const paused = await first.execute(
      'const a = await atp.llm.call("q"); return a.missing.field;',
      WITH_SERVICES,
    );
    expect(paused.status).toBe('paused');
    await first.dispose();
    const second = make([], { cache, hooks: { transformCode } });
    const done = await second.resume(paused.executionId, [{ id: '', result: {} }], CLIENT);
    expect(done.error).toMatchObject({ code: 'RUNTIME_ERROR', line: 1, column: 53 });
  });

  it('code that must be transformed (an enum) still reports the agent positions, also after a durable resume', async () => {
    const code = [
      'enum Color { Red, Green }',
      'function paint(target: any): number {',
      '  return target.colour.index + Color.Green;',
      '}',
      'const answer = await atp.llm.call("which?");',
      'return paint(answer);',
    ].join('\n');
    const executor = make();
    const failed = await executor.execute(code.replace('await atp.llm.call("which?")', 'null'), CLIENT);
    expect(failed.error).toMatchObject({ code: 'RUNTIME_ERROR', line: 3, column: 17 });
    expect(failed.error?.stack?.split('\n').slice(1)).toEqual([
      '    at paint (agent.ts:3:17)',
      '    at agent.ts:6:8',
    ]);
    const syntax = await executor.execute('enum E { A }\nconst a = 1;\nconst a = 2;', CLIENT);
    expect(syntax.error).toMatchObject({ code: 'PARSE_ERROR', line: 3, column: 7 });
    expect(syntax.error?.message).toMatch(/\(line 3, column 7\)$/);

    const cache = new MemoryCache();
    const first = make([], { cache });
    const paused = await first.execute(code, WITH_SERVICES);
    expect(paused.status).toBe('paused');
    await first.dispose();
    const second = make([], { cache });
    const done = await second.resume(paused.executionId, [{ id: '', result: {} }], CLIENT);
    expect(done.error).toMatchObject({ code: 'RUNTIME_ERROR', line: 3, column: 24 });
  });
});
