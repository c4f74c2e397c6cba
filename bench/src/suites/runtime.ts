import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Catalog } from '@agent-tool-protocol/catalog';
import { type APIGroup, type ApiDispatcher, MemoryCache } from '@agent-tool-protocol/protocol';
import { createExecutor, createSimpleDispatcher, type Executor } from '@agent-tool-protocol/runtime';
import ivm from 'isolated-vm';
import { type BenchRow, type BenchScale, type BenchSuite, percentile, row, sample } from '../measure.ts';
import { channelFloor } from './channel-floor.ts';

const CLIENT = { clientId: 'bench', limits: { maxToolCalls: 1_000_000, maxLLMCalls: 1_000_000 } };
const LLM = { ...CLIENT, services: { hasLLM: true } };

/** `count` no-op functions in groups of 50: `api.g<i>.f<j>`. */
function apiGroups(count: number): APIGroup[] {
  const groups: APIGroup[] = [];
  for (let start = 0; start < count; start += 50) {
    const functions = [];
    for (let j = 0; j < Math.min(50, count - start); j++) functions.push({ name: `f${j}`, handler: () => j });
    groups.push({ name: `g${start / 50}`, type: 'custom', functions });
  }
  return groups;
}

/** The dispatcher the server uses: a `Catalog` holding the groups. */
function catalogOf(groups: APIGroup[]): ApiDispatcher {
  const catalog = new Catalog();
  for (const group of groups) catalog.addGroup(group);
  return catalog;
}

function executor(
  functions: number,
  extra: Parameters<typeof createExecutor>[0] extends infer C ? Partial<C> : never = {},
) {
  return createExecutor({
    dispatcher: createSimpleDispatcher(apiGroups(functions)),
    cache: new MemoryCache(),
    ...extra,
  });
}

/** CPU time of this (the event-loop) thread, in ms. */
function threadCpuMs(): number {
  const usage = process.threadCpuUsage();
  return (usage.user + usage.system) / 1000;
}

async function expectStatus<R extends { status: string }>(promise: Promise<R>, status: string): Promise<R> {
  const result = await promise;
  if (result.status !== status) throw new Error(`expected ${status}, got ${JSON.stringify(result)}`);
  return result;
}

export const runtimeSuite: BenchSuite = {
  name: 'runtime',
  async run(scale: BenchScale): Promise<BenchRow[]> {
    const full = scale === 'full';
    const rows: BenchRow[] = [];
    const executors: Executor[] = [];
    const make = (...args: Parameters<typeof executor>) => {
      const created = executor(...args);
      executors.push(created);
      return created;
    };
    try {
      // The floor: raw isolated-vm isolate + context creation, in this same process and run.
      const floor = await sample(full ? 300 : 3, async () => {
        const isolate = new ivm.Isolate({ memoryLimit: 128 });
        await isolate.createContext();
        isolate.dispose();
      });
      rows.push(
        row('isolated-vm isolate + context (floor)', floor, 'ms', '–', 'raw `new Isolate` + `createContext`'),
      );

      const small = make(50);
      const trivial = await sample(
        full ? 1000 : 3,
        () => expectStatus(small.execute('return 1;', CLIENT), 'completed'),
        full ? 50 : 1,
        full ? 3 : 0,
      );
      rows.push(
        row(
          'trivial execution, in-process (warm pool)',
          trivial,
          'ms',
          'p50 ≤ 0.5 ms',
          'a fresh context per run (reused isolates); 3 ms idle between runs lets the pool refill',
        ),
      );
      // Event-loop thread CPU per execution, all of it: the execution and its isolate's creation,
      // installation and disposal (idle time between runs lets that finish and is subtracted).
      const cpuRuns = full ? 300 : 3;
      let cpuBefore = threadCpuMs();
      for (let i = 0; i < cpuRuns; i++) {
        await new Promise((resolve) => setTimeout(resolve, 4));
        await expectStatus(small.execute('return 1;', CLIENT), 'completed');
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      const withExecutions = threadCpuMs() - cpuBefore;
      cpuBefore = threadCpuMs();
      for (let i = 0; i < cpuRuns; i++) await new Promise((resolve) => setTimeout(resolve, 4));
      const idleOnly = threadCpuMs() - cpuBefore;
      rows.push({
        name: 'event-loop thread CPU per trivial execution',
        p50: Math.max(0, withExecutions - idleOnly) / cpuRuns,
        p99: null,
        unit: 'ms',
        target: '–',
        note: 'the whole execution, including creating, installing and disposing its isolate',
      });

      const delay = monitorEventLoopDelay({ resolution: 1 });
      delay.enable();
      const backToBack = await sample(full ? 500 : 3, () =>
        expectStatus(small.execute('return 1;', CLIENT), 'completed'),
      );
      delay.disable();
      rows.push(
        row(
          'trivial execution, back-to-back',
          backToBack,
          'ms',
          '≤ 1.5 ms',
          'no idle time; each run gets a fresh context, prepared off the event loop in a reused isolate',
        ),
      );
      rows.push({
        name: 'event-loop delay during back-to-back executions',
        p50: delay.percentile(50) / 1e6,
        p99: delay.percentile(99) / 1e6,
        unit: 'ms',
        target: '–',
        note: `max ${(delay.max / 1e6).toFixed(1)} ms; how long other work (HTTP, host calls) waits`,
      });

      const calls = full ? 1000 : 10;
      const sequentialRuns = full ? 20 : 1;
      const cpuAtSequential = threadCpuMs();
      const sequential = await sample(sequentialRuns, () =>
        expectStatus(
          small.execute(`for (let i = 0; i < ${calls}; i++) await api.g0.f1({ i }); return 1;`, CLIENT),
          'completed',
        ),
      );
      const sequentialCpu = (threadCpuMs() - cpuAtSequential) / ((sequentialRuns + 5) * calls);
      const batched = await sample(full ? 20 : 1, () =>
        expectStatus(
          small.execute(
            `await Promise.all(Array.from({ length: ${calls} }, (_, i) => api.g0.f1({ i }))); return 1;`,
            CLIENT,
          ),
          'completed',
        ),
      );
      const perCall = (samples: number[]) =>
        samples.map((ms) => Math.max(0, ms - percentile(trivial, 50)) / calls);
      rows.push(
        row(
          `host-call overhead, sequential awaits (${calls} calls)`,
          perCall(sequential),
          'µs',
          '≤ 30 µs',
          'per call: (run − trivial) / calls',
        ),
      );
      // The mechanism's floor, in this same run: bare isolated-vm round trips, without the runtime.
      const channel = await channelFloor(calls, full ? 20 : 1);
      const floorPerCall = (samples: number[]) => samples.map((ms) => ms / calls);
      rows.push(
        row(
          'channel round trip, bare isolated-vm (floor)',
          floorPerCall(channel.bare),
          'µs',
          '–',
          '`applySyncPromise` to an async host function that answers at once, every call in one task',
        ),
      );
      rows.push(
        row(
          'channel round trip, a task per call (floor of the design)',
          floorPerCall(channel.perTask),
          'µs',
          '–',
          'the same, each call in a task the isolate queues on itself (as each flush is)',
        ),
      );
      rows.push({
        name: 'event-loop thread CPU per sequential host call',
        p50: sequentialCpu * 1000,
        p99: null,
        unit: 'µs',
        target: '–',
        note: 'dispatch, journal and the channel round trip, on the thread that serves requests',
      });
      rows.push(
        row(
          `host-call overhead, Promise.all (${calls} calls)`,
          perCall(batched),
          'µs',
          '≤ 30 µs',
          'per call, one batch',
        ),
      );

      // Through the real Catalog (what the server dispatches with), not the simple dispatcher.
      const few = make(50, { dispatcher: catalogOf(apiGroups(50)) });
      const many = make(5000, { dispatcher: catalogOf(apiGroups(5000)) });
      const tenCalls = 'let s = 0; for (let i = 0; i < 10; i++) s += await api.g0.f7({}); return s;';
      const manyCode = 'let s = 0; for (let i = 0; i < 10; i++) s += await api.g99.f7({}); return s;';
      // Interleaved, so load from other processes affects both sides alike.
      const with50: number[] = [];
      const with5000: number[] = [];
      for (let i = 0; i < (full ? 300 : 2); i++) {
        with50.push(
          ...(await sample(
            1,
            () => expectStatus(few.execute(tenCalls, CLIENT), 'completed'),
            i === 0 ? 5 : 0,
            full ? 3 : 0,
          )),
        );
        with5000.push(
          ...(await sample(
            1,
            () => expectStatus(many.execute(manyCode, CLIENT), 'completed'),
            i === 0 ? 5 : 0,
            full ? 3 : 0,
          )),
        );
      }
      const ratio = percentile(with5000, 50) / percentile(with50, 50);
      rows.push(row('execution with 10 calls, 50 functions in a Catalog', with50, 'ms', '–', ''));
      rows.push({
        ...row(
          'execution with 10 calls, 5,000 functions in a Catalog',
          with5000,
          'ms',
          'within 10% of 50',
          `p50 ratio ${ratio.toFixed(3)}`,
        ),
        met: ratio <= 1.1,
      });

      // Hot resume: one execution that pauses at every step; time per resume round trip.
      const hotCache = new MemoryCache();
      const hot = make(50, { cache: hotCache });
      const steps = full ? 500 : 5;
      let paused = await expectStatus(
        hot.execute(
          `let s = 0; for (let i = 0; i < ${steps}; i++) s += Number(await atp.llm.call('q' + i)); return s;`,
          LLM,
        ),
        'paused',
      );
      const resumeTimes: number[] = [];
      const stateBytes: number[] = [];
      const { executionId } = paused;
      for (let i = 0; i < steps; i++) {
        const started = performance.now();
        paused = await hot.resume(executionId, [{ id: '', result: '1' }], CLIENT);
        resumeTimes.push(performance.now() - started);
        if (i < steps - 1)
          stateBytes.push(JSON.stringify(await hotCache.get(`atp:exec:${executionId}:state`)).length);
      }
      if (paused.status !== 'completed') throw new Error(`hot resume ended ${paused.status}`);
      const tenth = Math.max(1, Math.floor(steps / 10));
      const early = percentile(resumeTimes.slice(0, tenth), 50);
      const late = percentile(resumeTimes.slice(-tenth), 50);
      rows.push(
        row(
          `hot resume (${steps} sequential pauses)`,
          resumeTimes,
          'ms',
          'overhead ≤ 0.3 ms, flat',
          `late/early p50 ${(late / early).toFixed(2)}; state ${stateBytes[0] ?? 0}→${stateBytes.at(-1) ?? 0} bytes`,
        ),
      );

      // Durable resume: 40 callbacks answered hot on one instance, the next resume on another instance
      // (no hot isolate) replays all 40 from the journal.
      const callbacks = full ? 40 : 3;
      const sharedCache = new MemoryCache();
      const first = make(50, { cache: sharedCache });
      const second = make(50, { cache: sharedCache, maxHotPaused: 0 });
      const durable: number[] = [];
      for (let run = 0; run < (full ? 30 : 1); run++) {
        let result = await first.execute(
          `let s = 0; for (let i = 0; i <= ${callbacks}; i++) s += Number(await atp.llm.call('q' + i)); return s;`,
          LLM,
        );
        for (let i = 0; i < callbacks; i++)
          result = await first.resume(result.executionId, [{ id: '', result: '1' }], CLIENT);
        const started = performance.now();
        result = await second.resume(result.executionId, [{ id: '', result: '1' }], CLIENT);
        durable.push(performance.now() - started);
        if (result.status !== 'completed') throw new Error(`durable resume ended ${result.status}`);
      }
      rows.push(
        row(
          `durable resume replaying ${callbacks} callbacks`,
          durable,
          'ms',
          '–',
          'fresh isolate + journal replay',
        ),
      );

      // Throughput: executions with one api call, at several concurrencies.
      const busy = make(50, { isolatePoolSize: 8 });
      for (const concurrency of [1, 8, 64]) {
        const total = full ? Math.max(500, concurrency * 20) : concurrency;
        let next = 0;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next++ < total)
              await expectStatus(busy.execute('return await api.g0.f1({});', CLIENT), 'completed');
          }),
        );
        const seconds = (performance.now() - started) / 1000;
        rows.push({
          name: `throughput at concurrency ${concurrency}`,
          p50: total / seconds,
          p99: null,
          unit: 'exec/s',
          target: '–',
          note: `${total} executions with one api call`,
        });
      }

      // Scaling with cores: agent code runs on isolated-vm's thread pool, not on the event loop, so
      // CPU-bound executions side by side should use a second core. Interleaved, to share any load.
      const cpuBound = 'let s = 0; for (let i = 0; i < 4e6; i++) s = (s + i * i) % 1000003; return s;';
      const cores = make(50, { isolatePoolSize: 4 });
      const cpuThroughput = async (concurrency: number) => {
        const total = full ? 20 : 2;
        let next = 0;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next++ < total) await expectStatus(cores.execute(cpuBound, CLIENT), 'completed');
          }),
        );
        return total / ((performance.now() - started) / 1000);
      };
      const single: number[] = [];
      const double: number[] = [];
      for (let i = 0; i < (full ? 5 : 1); i++) {
        single.push(await cpuThroughput(1));
        double.push(await cpuThroughput(2));
      }
      const scaling = percentile(double, 50) / percentile(single, 50);
      rows.push({
        name: 'CPU-bound executions, 2 at a time vs 1',
        p50: percentile(double, 50),
        p99: null,
        unit: 'exec/s',
        target: '≥ 1.7× one at a time',
        note: `${scaling.toFixed(2)}× one at a time (${percentile(single, 50).toFixed(1)} exec/s); a 4e6-step loop each`,
      });

      // A burst: 50 executions at once, each waiting 100 ms in one tool call (the target row,
      // in-process). Isolates are reused, so batches after the first need few new isolates.
      const slowGroup: APIGroup = {
        name: 'slow',
        type: 'custom',
        functions: [
          {
            name: 'wait',
            handler: () => new Promise((resolve) => setTimeout(() => resolve(1), 100)),
          },
        ],
      };
      const bursty = make(0, { dispatcher: createSimpleDispatcher([slowGroup]) });
      const burst = await sample(
        full ? 15 : 1,
        async () => {
          await Promise.all(
            Array.from({ length: 50 }, () =>
              expectStatus(bursty.execute('return await api.slow.wait({});', CLIENT), 'completed'),
            ),
          );
        },
        full ? 3 : 0,
        full ? 20 : 0,
      );
      rows.push(
        row(
          '50 concurrent executions of a 100 ms tool, in-process',
          burst,
          'ms',
          '≤ 150 ms',
          'one batch per sample; floor 100 ms',
        ),
      );

      // Memory per hot paused execution (process RSS delta).
      const parked = make(50, { maxHotPaused: 10_000, isolatePoolSize: 0 });
      const count = full ? 200 : 3;
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      const before = process.memoryUsage().rss;
      for (let i = 0; i < count; i++) {
        await expectStatus(
          parked.execute('const data = [1, 2, 3]; return await atp.llm.call("q") + data.length;', LLM),
          'paused',
        );
      }
      gc?.();
      const perExecution = (process.memoryUsage().rss - before) / count / 1024 / 1024;
      rows.push({
        name: 'memory per hot paused execution',
        p50: perExecution,
        p99: null,
        unit: 'MB',
        target: '≤ 3 MB',
        note: `RSS delta over ${count} paused executions${gc ? '' : ' (no --expose-gc)'}`,
      });
    } finally {
      for (const created of executors) await created.dispose();
    }
    return rows;
  },
};
