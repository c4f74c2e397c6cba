import { ToolCallError } from '@agent-tool-protocol/protocol';
import { clampLimits, DEFAULT_LIMITS } from '../src/index.js';
import { CLIENT, executors, group } from './helpers';

const make = executors();

describe('execute', () => {
  it('runs top-level await and return, with nested groups', async () => {
    const executor = make([
      group('math', { add: ({ a, b }) => a + b }),
      group('github', { 'repos.get': ({ name }) => ({ name, stars: 42 }) }),
    ]);
    const result = await executor.execute(
      'const x = await api.math.add({a: 1, b: 2});\nconst repo = await api.github.repos.get({name: "atp"});\nreturn { x: x * 10, repo };',
      CLIENT,
    );
    expect(result).toMatchObject({
      status: 'completed',
      result: { x: 30, repo: { name: 'atp', stars: 42 } },
    });
    expect(result.stats.toolCallsCount).toBe(2);
    expect(result.stats.duration).toBeGreaterThan(0);
    expect(result.executionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts TypeScript syntax (types are stripped), including enums', async () => {
    const executor = make();
    const code = [
      'interface Point { x: number; y: number }',
      'type Pair = [number, number];',
      'const p: Point = { x: 1, y: 2 } as Point;',
      'function sum<T extends number>(values: T[]): number { return values.reduce((a, b) => a + b, 0); }',
      'enum Color { Red, Green }',
      'const pair: Pair = [p.x, p.y];',
      'return sum(pair) + Color.Green;',
    ].join('\n');
    expect(await executor.execute(code, CLIENT)).toMatchObject({ status: 'completed', result: 4 });
  });

  it('reports syntax errors with the line and column of the agent code', async () => {
    const executor = make();
    const js = await executor.execute('const a = 1;\nconst b = ;\nreturn a;', CLIENT);
    expect(js.status).toBe('failed');
    expect(js.error).toMatchObject({ code: 'PARSE_ERROR', line: 2, column: 11 });
    const v8Only = await executor.execute('let x = 1;\n  let = = 2;', CLIENT);
    expect(v8Only.error).toMatchObject({ code: 'PARSE_ERROR', line: 2 });
  });

  it('returns an uncaught error as failed, with only agent frames in the stack', async () => {
    const executor = make();
    const result = await executor.execute('const o = null;\nreturn o.x;', CLIENT);
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('RUNTIME_ERROR');
    expect(result.error?.message).toContain("Cannot read properties of null (reading 'x')");
    expect(result.error?.line).toBe(2);
    expect(result.error?.stack ?? '').not.toMatch(/node:|packages\/runtime|bootstrap/);
    const thrown = await executor.execute('throw "plain string";', CLIENT);
    expect(thrown.error?.message).toContain('plain string');
  });

  it('surfaces host errors inside the sandbox with message, code and status, catchable', async () => {
    const executor = make([
      group('http', {
        fail: () => {
          throw new ToolCallError('GitHub answered 404', { status: 404, code: 'HTTP_ERROR' });
        },
        plain: () => {
          throw new Error('boom');
        },
      }),
    ]);
    const result = await executor.execute(
      `try { await api.http.fail({}); } catch (e) {
         const plain = await api.http.plain().catch((e2) => ({ m: e2.message, c: e2.code, s: e2.status, isError: e2 instanceof Error }));
         return { message: e.message, code: e.code, status: e.status, isError: e instanceof Error, stack: String(e.stack), plain };
       }`,
      CLIENT,
    );
    expect(result.status).toBe('completed');
    expect(result.result).toMatchObject({
      message: 'GitHub answered 404',
      code: 'HTTP_ERROR',
      status: 404,
      isError: true,
      plain: { m: 'boom', c: 'TOOL_ERROR', isError: true },
    });
    expect((result.result as { stack: string }).stack).not.toMatch(/node_modules|packages\/|node:/);
    const uncaught = await executor.execute('await api.http.fail({});', CLIENT);
    expect(uncaught).toMatchObject({
      status: 'failed',
      error: { code: 'HTTP_ERROR', message: 'GitHub answered 404' },
    });
  });

  it('throws a TypeError naming close matches for an unknown path', async () => {
    const executor = make([group('github', { 'repos.get': () => 1, 'repos.list': () => [] })]);
    const result = await executor.execute(
      'try { await api.github.repos.gett({}); } catch (e) { return { name: e.name, message: e.message, code: e.code }; }',
      CLIENT,
    );
    expect(result.result).toMatchObject({ name: 'TypeError', code: 'UNKNOWN_FUNCTION' });
    expect((result.result as { message: string }).message).toContain('api.github.repos.get');
  });

  it('api proxies are not thenables and cannot be written', async () => {
    const executor = make([group('g', { f: () => 'ok' })]);
    const result = await executor.execute(
      'const g = await api.g; api.x = 1; return { same: typeof g, f: await g.f(), thenable: typeof api.g.then, x: typeof api.x };',
      CLIENT,
    );
    expect(result.result).toEqual({ same: 'function', f: 'ok', thenable: 'undefined', x: 'function' });
  });

  it('reuses one proxy per api path, and still resolves paths beyond the proxies it keeps', async () => {
    const executor = make([group('g', { f: ({ n }) => n * 2 })]);
    const result = await executor.execute(
      [
        'const same = api.g === api.g && api.g.f === api.g.f && api.g.f !== api.g.h;',
        // More distinct paths than the bootstrap keeps proxies for: each still reads and calls.
        'let misses = 0;',
        'for (let i = 0; i < 5000; i++) { try { await api.g["x" + i]({}); } catch (e) { if (e.code === "UNKNOWN_FUNCTION") misses++; } }',
        'const fresh = api.g["y" + 1];',
        'let sum = 0;',
        'for (let i = 0; i < 3; i++) sum += await api.g.f({ n: i });',
        'return { same, misses, freshIsFunction: typeof fresh, sum, late: await api.g.f({ n: 10 }) };',
      ].join('\n'),
      { ...CLIENT, limits: { maxToolCalls: 10_000 } },
    );
    expect(result.result).toEqual({
      same: true,
      misses: 5000,
      freshIsFunction: 'function',
      sum: 6,
      late: 20,
    });
  });

  it('gives a path the same proxy however it is reached, and keeps messages in order within a flush', async () => {
    const executor = make([group('g', { f: ({ n }) => n * 2 })]);
    const result = await executor.execute(
      [
        'const viaKeys = api.g.f;',
        'const viaDotted = api["g.f"];',
        'const g = api.g;',
        'console.log("a"); const p = api.g.f({ n: 1 }); console.log("b"); const q = viaDotted({ n: 2 });',
        'const [x, y] = await Promise.all([p, q]); console.log("c");',
        'return { same: viaKeys === viaDotted && g.f === viaKeys && api.g === g, x, y };',
      ].join('\n'),
      CLIENT,
    );
    expect(result.result).toEqual({ same: true, x: 2, y: 4 });
    expect(result.logs?.map((log) => log.message)).toEqual(['a', 'b', 'c']);
  });

  it('copies inputs and results as plain JSON data', async () => {
    const seen: unknown[] = [];
    const executor = make([
      group('g', {
        echo: (input) => {
          seen.push(input);
          return { at: new Date(0), nested: input };
        },
      }),
    ]);
    const result = await executor.execute(
      'const input = { a: 1, when: new Date(0), skip: undefined, fn() {} };\nreturn await api.g.echo(input);',
      CLIENT,
    );
    expect(seen[0]).toEqual({ a: 1, when: '1970-01-01T00:00:00.000Z' });
    expect(result.result).toEqual({
      at: '1970-01-01T00:00:00.000Z',
      nested: { a: 1, when: '1970-01-01T00:00:00.000Z' },
    });
  });

  it('rejects results that cannot be copied with a clear error', async () => {
    const executor = make();
    for (const [code, fragment] of [
      ['return () => 1;', 'a function'],
      ['return { n: 10n };', 'BigInt'],
      ['const a = {}; a.self = a; return a;', 'circular'],
    ] as const) {
      const result = await executor.execute(code, CLIENT);
      expect(result.status).toBe('failed');
      expect(result.error?.code).toBe('RESULT_NOT_SERIALIZABLE');
      expect(result.error?.message).toContain(fragment);
    }
    expect(await executor.execute('return undefined;', CLIENT)).not.toHaveProperty('result');
  });

  it('captures atp.log and console output, forwards them, and reports progress', async () => {
    const configLogs: unknown[] = [];
    const progress: unknown[] = [];
    const logger = { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const executor = make([], { onLog: (entry) => configLogs.push(entry), logger });
    const streamed: unknown[] = [];
    const result = await executor.execute(
      'atp.log.info("hello", { n: 1 }); atp.log.warn("careful"); console.log("from console", 2); atp.progress.report("half", 0.5); return 1;',
      { ...CLIENT, onLog: (entry) => streamed.push(entry), onProgress: (event) => progress.push(event) },
    );
    expect(result.logs).toEqual([
      expect.objectContaining({ level: 'info', message: 'hello', data: { n: 1 } }),
      expect.objectContaining({ level: 'warn', message: 'careful' }),
      expect.objectContaining({ level: 'info', message: 'from console 2' }),
    ]);
    expect(streamed).toHaveLength(3);
    expect(configLogs[0]).toMatchObject({
      executionId: result.executionId,
      clientId: 'client-1',
      message: 'hello',
    });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.objectContaining({ executionId: result.executionId }),
      'careful',
    );
    expect(progress).toEqual([
      expect.objectContaining({ message: 'half', fraction: 0.5, executionId: result.executionId }),
    ]);
  });

  it('atp.cache is namespaced per client', async () => {
    const executor = make();
    await executor.execute('await atp.cache.set("k", { v: 1 }); return 1;', { clientId: 'a' });
    const own = await executor.execute('return await atp.cache.get("k");', { clientId: 'a' });
    const other = await executor.execute('return (await atp.cache.get("k")) ?? "none";', { clientId: 'b' });
    expect(own.result).toEqual({ v: 1 });
    expect(other.result).toBe('none');
    const deleted = await executor.execute(
      'const d = await atp.cache.delete("k"); return [d, await atp.cache.get("k")];',
      {
        clientId: 'a',
      },
    );
    expect(deleted.result).toEqual([true, null]);
  });

  it('has sandbox-local timers and a clock that advances across awaits', async () => {
    const executor = make();
    const result = await executor.execute(
      `const t0 = Date.now();
       const order = [];
       setTimeout(() => order.push('b'), 30);
       setTimeout(() => order.push('a'), 5);
       const cancelled = setTimeout(() => order.push('never'), 10);
       clearTimeout(cancelled);
       await new Promise((r) => setTimeout(r, 60));
       let ticks = 0;
       await new Promise((r) => { const i = setInterval(() => { if (++ticks === 3) { clearInterval(i); r(); } }, 1); });
       return { order, elapsed: Date.now() - t0 >= 50, ticks, date: new Date().getTime() === Date.now(), r: Math.random() < 1 };`,
      CLIENT,
    );
    expect(result.result).toEqual({ order: ['a', 'b'], elapsed: true, ticks: 3, date: true, r: true });
  });

  it('refuses code larger than maxCodeBytes', async () => {
    const executor = make([], { maxLimits: { maxCodeBytes: 100 } });
    const result = await executor.execute(`return "${'x'.repeat(200)}";`, CLIENT);
    expect(result).toMatchObject({ status: 'validation_failed', error: { code: 'CODE_TOO_LARGE' } });
  });

  it('validates options and config with messages naming the field', async () => {
    const executor = make();
    await expect(executor.execute('return 1', { clientId: '' })).rejects.toThrow(/clientId/);
    await expect(executor.execute('return 1', { ...CLIENT, executionId: 'bad id!' })).rejects.toThrow(
      /executionId/,
    );
    const { createExecutor } = await import('../src/index.js');
    expect(() => createExecutor({ dispatcher: {} as never })).toThrow(/dispatcher\.resolve/);
  });
});

describe('clampLimits', () => {
  it('uses request, then defaults, then DEFAULT_LIMITS, clamped to the maxima', () => {
    const limits = clampLimits(
      { timeout: 999_999, maxLLMCalls: 3 },
      { cpuTime: 50 },
      { timeout: 5_000, maxLLMCalls: 10 },
    );
    expect(limits).toEqual({ ...DEFAULT_LIMITS, timeout: 5_000, maxLLMCalls: 3, cpuTime: 50 });
    expect(clampLimits(undefined, undefined, { maxMemory: 64 }).maxMemory).toBe(64);
    expect(clampLimits({ maxMemory: 1 }).maxMemory).toBe(8);
  });
});
