import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ALL_SERVICES, CLIENT, executors, group } from './helpers';

const make = executors();

/** Every limit ends the execution with its own status; the process (this jest worker) survives all of them. */
describe('limits', () => {
  const api = [
    group('g', { ping: () => 'pong', slow: () => new Promise((r) => setTimeout(() => r('late'), 2_000)) }),
  ];

  it('while(true){} ends with cpu_time_exceeded or timeout, whichever limit is lower', async () => {
    const executor = make(api);
    const cpu = await executor.execute('while (true) {}', {
      ...CLIENT,
      limits: { cpuTime: 200, timeout: 5_000 },
    });
    expect(cpu).toMatchObject({ status: 'cpu_time_exceeded', error: { code: 'CPU_TIME_EXCEEDED' } });
    const wall = await executor.execute('while (true) {}', {
      ...CLIENT,
      limits: { cpuTime: 5_000, timeout: 200 },
    });
    expect(wall).toMatchObject({ status: 'timeout', error: { code: 'TIMEOUT' } });
  });

  it('await x; while(true){} is stopped after an await too', async () => {
    const executor = make(api);
    const result = await executor.execute('await api.g.ping(); while (true) {}', {
      ...CLIENT,
      limits: { cpuTime: 200, timeout: 5_000 },
    });
    expect(result.status).toBe('cpu_time_exceeded');
    expect(result.stats.toolCallsCount).toBe(1);
  });

  it('awaited host time counts towards the wall clock', async () => {
    const executor = make(api);
    const started = Date.now();
    const result = await executor.execute('return await api.g.slow();', {
      ...CLIENT,
      limits: { timeout: 150 },
    });
    expect(result.status).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('a sandbox timer longer than the timeout ends with timeout', async () => {
    const executor = make(api);
    const result = await executor.execute('await new Promise((r) => setTimeout(r, 60_000)); return 1;', {
      ...CLIENT,
      limits: { timeout: 100 },
    });
    expect(result.status).toBe('timeout');
  });

  it('new Array(5e7).fill(0) ends with memory_exceeded', async () => {
    const executor = make(api);
    const result = await executor.execute('const a = new Array(5e7).fill(0); return a.length;', {
      ...CLIENT,
      limits: { maxMemory: 64, cpuTime: 30_000, timeout: 30_000 },
    });
    // V8 fills a 5e7-slot array in dictionary mode and collects garbage hard near the limit: a few seconds.
    expect(result).toMatchObject({ status: 'memory_exceeded', error: { code: 'MEMORY_EXCEEDED' } });
  }, 40_000);

  it('new Array(5e7).fill(0) with the default memory ends with memory_exceeded, not a timeout', async () => {
    const executor = make(api);
    // V8 fills a huge sparse array in a native loop no limit interrupts; the sandbox sees it cannot fit.
    const result = await executor.execute('const a = new Array(5e7).fill(0); return a.length;', {
      ...CLIENT,
      limits: { timeout: 2_000 },
    });
    expect(result).toMatchObject({ status: 'memory_exceeded', error: { code: 'MEMORY_EXCEEDED' } });
    const small = await executor.execute('return new Array(5).fill(7).concat([].fill(1));', CLIENT);
    expect(small.result).toEqual([7, 7, 7, 7, 7]);
  });

  it('a native loop V8 cannot interrupt ends at its CPU limit, not when the loop is done', async () => {
    const executor = make(api);
    // copyWithin over a huge sparse array runs for seconds inside V8 without an interrupt check: the
    // isolate is disposed at the limit and left to finish on its own thread.
    const result = await executor.execute('return new Array(5e7).copyWithin(0, 1).length;', {
      ...CLIENT,
      limits: { cpuTime: 300, timeout: 60_000 },
    });
    expect(result.status).toBe('cpu_time_exceeded');
    expect(result.stats.duration).toBeLessThan(3_000);
  });

  it.each([
    ['a Map growing past the heap', 'const m = new Map(); for (let i = 0; ; i++) m.set(i, i);'],
    ['a sparse array filled in a loop', 'const a = new Array(5e7); for (let i = 0; i < 5e7; i++) a[i] = 0;'],
  ])(
    'containCatastrophicErrors: %s ends with memory_exceeded and the process lives on',
    async (_, code) => {
      // In a child process: isolated-vm parks the failed isolate's thread, so that process cannot exit.
      const lines = await runChild(join(__dirname, 'fixtures', 'catastrophic-oom.ts'), code);
      expect(lines[0]).toMatchObject({ status: 'memory_exceeded', code: 'MEMORY_EXCEEDED' });
      expect(lines[1]).toEqual({ status: 'completed', result: 42 });
    },
    120_000,
  );

  it('growing memory in a loop ends with memory_exceeded', async () => {
    const executor = make(api);
    const result = await executor.execute(
      'const keep = []; while (true) keep.push(new Array(1e5).fill(Math.random()));',
      {
        ...CLIENT,
        limits: { maxMemory: 32 },
      },
    );
    expect(result.status).toBe('memory_exceeded');
  });

  it("'x'.repeat(2**29) fails inside the sandbox (catchable), or exceeds memory", async () => {
    const executor = make(api);
    const result = await executor.execute("const s = 'x'.repeat(2 ** 29); return s.length;", CLIENT);
    expect(['failed', 'memory_exceeded']).toContain(result.status);
    const caught = await executor.execute(
      "try { 'x'.repeat(2 ** 29); } catch (e) { return e.name; }",
      CLIENT,
    );
    expect(caught.result).toBe('RangeError');
  });

  it('unbounded recursion fails with a RangeError', async () => {
    const executor = make(api);
    const result = await executor.execute('function f(n) { return f(n + 1) + 1; }\nreturn f(0);', CLIENT);
    expect(result.status).toBe('failed');
    expect(result.error?.message).toContain('Maximum call stack size exceeded');
  });

  it('a promise that never settles fails at once instead of hanging', async () => {
    const executor = make(api);
    const result = await executor.execute('await new Promise(() => {}); return 1;', {
      ...CLIENT,
      limits: { timeout: 10_000 },
    });
    expect(result.status).toBe('failed');
    expect(result.error?.message).toContain('can never settle');
  });

  it('10,000 pending host calls: tool_calls_exceeded over the limit, all answered under it', async () => {
    const executor = make(api);
    const code =
      'const all = await Promise.all(Array.from({ length: 10000 }, () => api.g.ping())); return all.length;';
    const over = await executor.execute(code, { ...CLIENT, limits: { maxToolCalls: 1_000 } });
    expect(over).toMatchObject({ status: 'tool_calls_exceeded', error: { code: 'TOOL_CALLS_EXCEEDED' } });
    const under = await executor.execute(code, { ...CLIENT, limits: { maxToolCalls: 20_000 } });
    expect(under).toMatchObject({ status: 'completed', result: 10_000 });
    expect(under.stats.toolCallsCount).toBe(10_000);
  });

  it('more LLM calls than maxLLMCalls ends with llm_calls_exceeded', async () => {
    const executor = make(api);
    const result = await executor.execute(
      'return await Promise.all([1, 2, 3].map((i) => atp.llm.call("q" + i)));',
      { ...CLIENT, services: ALL_SERVICES, limits: { maxLLMCalls: 2 } },
    );
    expect(result).toMatchObject({ status: 'llm_calls_exceeded', error: { code: 'LLM_CALLS_EXCEEDED' } });
  });

  it('a 100 MB result ends with result_too_large', async () => {
    const executor = make(api);
    const result = await executor.execute("return 'x'.repeat(100 * 1024 * 1024);", {
      ...CLIENT,
      limits: { maxMemory: 256 },
    });
    expect(result).toMatchObject({ status: 'result_too_large', error: { code: 'RESULT_TOO_LARGE' } });
    const many = await executor.execute('return Array.from({ length: 300000 }, (_, i) => ({ i }));', CLIENT);
    expect(many.status).toBe('result_too_large');
  });

  it('requests are clamped to the server maxima', async () => {
    const executor = make(api, { maxLimits: { cpuTime: 150 } });
    const result = await executor.execute('while (true) {}', {
      ...CLIENT,
      limits: { cpuTime: 60_000, timeout: 60_000 },
    });
    expect(result.status).toBe('cpu_time_exceeded');
    expect(result.error?.message).toContain('150 ms');
  });

  it('the executor still works after every limit was hit', async () => {
    const executor = make(api);
    expect(await executor.execute('return await api.g.ping();', CLIENT)).toMatchObject({
      status: 'completed',
      result: 'pong',
    });
  });
});

/** Runs a fixture with node (built packages, as the server's scale-out test does); its JSON lines. */
function runChild(script: string, arg: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--no-node-snapshot', '--disable-warning=ExperimentalWarning', script, arg],
      {
        cwd: join(__dirname, '..'),
        env: { ...process.env, NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', () => {
      const lines = output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as unknown);
      if (lines.length < 3)
        reject(new Error(`the child process died before reporting:\n${output}\n${errors.slice(-2000)}`));
      else resolve(lines);
    });
  });
}
