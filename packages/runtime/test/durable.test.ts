import { MemoryCache } from '@agent-tool-protocol/protocol';
import type { ExecutionEvent, Executor } from '../src/index.js';
import { ALL_SERVICES, CLIENT, executors, group } from './helpers';

const make = executors();
const WITH_SERVICES = { ...CLIENT, services: ALL_SERVICES };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function countingApi() {
  const counts: Record<string, number> = {};
  const seen: Record<string, unknown[]> = {};
  const count = (name: string, input: unknown) => {
    counts[name] = (counts[name] ?? 0) + 1;
    seen[name] = [...(seen[name] ?? []), input];
  };
  const api = group('g', {
    fast: (input) => {
      count('fast', input);
      return `fast${input.round}`;
    },
    slow: async (input) => {
      count('slow', input);
      await sleep(input.ms ?? 5);
      return `slow${input.round}`;
    },
    write: async (input) => {
      count('write', input);
      await sleep(Math.floor(Math.random() * 8));
      return counts.write;
    },
    failing: (input) => {
      count('failing', input);
      throw Object.assign(new Error(`no ${input.round}`), { code: 'HTTP_ERROR', status: 500 });
    },
    record: (input) => {
      count('record', input);
      return true;
    },
  });
  return { api, counts, seen };
}

const ROUNDS = 6;
const CODE = `
let total = 0;
const trail = [];
for (let round = 0; round < ${ROUNDS}; round++) {
  const [a, b, c] = await Promise.all([
    api.g.fast({ round }),
    api.g.slow({ round, ms: (round * 7) % 11 }),
    api.g.write({ round }),
  ]);
  const failed = await api.g.failing({ round }).catch((e) => e.message + ':' + e.status);
  const random = Math.random();
  const now = Date.now();
  const answers = await Promise.all([atp.llm.call('round ' + round + ' ' + a + ' ' + b), atp.llm.call('second ' + round)]);
  await api.g.record({ round, random, now, answers });
  await atp.cache.set('round' + round, { a, b, c });
  await new Promise((r) => setTimeout(r, 1));
  total += Number(answers[0]) + Number(answers[1]);
  trail.push([a, b, c, failed]);
}
return { total, trail, cached: await atp.cache.get('round0') };
`;

/** Answers every pending llm callback with a number derived from its prompt, until the end. */
async function runToEnd(
  resume: (id: string, results: { id: string; result: unknown }[]) => Promise<any>,
  first: any,
) {
  let result = first;
  let pauses = 0;
  while (result.status === 'paused') {
    pauses++;
    const answers = result.needsCallbacks.map((cb: any) => ({
      id: cb.id,
      result: String(cb.payload.prompt.length),
    }));
    result = await resume(result.executionId, answers);
  }
  return { result, pauses };
}

describe('durable pause/resume (journal replay)', () => {
  it('every handler runs exactly once across pauses with eviction at every pause', async () => {
    const hot = countingApi();
    const hotExecutor = make([hot.api]);
    const hotRun = await runToEnd(
      (id, r) => hotExecutor.resume(id, r, CLIENT),
      await hotExecutor.execute(CODE, WITH_SERVICES),
    );

    const durable = countingApi();
    const events: ExecutionEvent[] = [];
    const executor = make([durable.api], { maxHotPaused: 0, onEvent: (e) => events.push(e) });
    const run = await runToEnd(
      (id, r) => executor.resume(id, r, CLIENT),
      await executor.execute(CODE, WITH_SERVICES),
    );

    expect(run.result.status).toBe('completed');
    expect(run.pauses).toBe(ROUNDS);
    const expected = { fast: ROUNDS, slow: ROUNDS, write: ROUNDS, failing: ROUNDS, record: ROUNDS };
    expect(durable.counts).toEqual(expected);
    expect(hot.counts).toEqual(expected);
    // The durable run computes the same thing as the hot run.
    expect(run.result.result).toEqual(hotRun.result.result);
    expect(run.result.result.trail[0]).toEqual(['fast0', 'slow0', 1, 'no 0:500']);
    expect(run.result.result.cached).toEqual({ a: 'fast0', b: 'slow0', c: 1 });
    // Sandbox Date.now and Math.random replay to the same values (else record's input would mismatch).
    const records = durable.seen.record as { random: number; now: number }[];
    expect(new Set(records.map((r) => r.random)).size).toBe(ROUNDS);
    const resumes = events.flatMap((e) => (e.type === 'execution_resume' ? [e.mode] : []));
    expect(resumes).toEqual(Array(ROUNDS).fill('durable'));
    expect(events.some((e) => e.type === 'tool_call' && e.replayed)).toBe(true);
    expect(run.result.stats.llmCallsCount).toBe(ROUNDS * 2);
    expect(run.result.stats.toolCallsCount).toBe(ROUNDS * 5);
  });

  it('another server instance sharing the cache resumes it ("restart", alternating instances)', async () => {
    const cache = new MemoryCache();
    const shared = countingApi();
    const modes: string[] = [];
    const onEvent = (e: ExecutionEvent) => {
      if (e.type === 'execution_resume') modes.push(e.mode);
    };
    const a = make([shared.api], { cache, onEvent });
    const b = make([shared.api], { cache, onEvent });
    const instances: Executor[] = [a, b];
    let turn = 0;
    const run = await runToEnd(
      (id, r) => instances[turn++ % 2]!.resume(id, r, CLIENT),
      await a.execute(CODE, WITH_SERVICES),
    );
    expect(run.result.status).toBe('completed');
    expect(shared.counts).toEqual({
      fast: ROUNDS,
      slow: ROUNDS,
      write: ROUNDS,
      failing: ROUNDS,
      record: ROUNDS,
    });
    // Only the first resume finds a current hot isolate; after that each instance's hot copy is stale
    // (the other instance continued the execution), so it is discarded and the journal is replayed.
    expect(modes).toEqual(['hot', ...Array(ROUNDS - 1).fill('durable')]);
  });

  it('a disposed executor (a restart) leaves paused state that a new one resumes', async () => {
    const cache = new MemoryCache();
    const shared = countingApi();
    const first = make([shared.api], { cache });
    const paused = await first.execute(
      'const x = await api.g.fast({ round: 1 }); return x + (await atp.llm.call("q"));',
      WITH_SERVICES,
    );
    await first.dispose();
    const second = make([shared.api], { cache });
    const done = await second.resume(paused.executionId, [{ id: '', result: '!' }], CLIENT);
    expect(done).toMatchObject({ status: 'completed', result: 'fast1!' });
    expect(shared.counts.fast).toBe(1);
  });

  it('hook approvals pending at a pause survive a durable resume', async () => {
    const shared = countingApi();
    const executor = make([shared.api], {
      maxHotPaused: 0,
      hooks: {
        beforeToolCall: (ctx) =>
          ctx.name === 'write' ? { action: 'approve', message: 'write?' } : { action: 'allow' },
      },
    });
    const paused = await executor.execute(
      'const a = await api.g.fast({ round: 0 }); return [a, await api.g.write({ round: 0 })];',
      WITH_SERVICES,
    );
    expect(paused.needsCallback).toMatchObject({
      type: 'approval',
      operation: 'request',
      payload: { message: 'write?' },
    });
    const done = await executor.resume(paused.executionId, [{ id: '', result: { approved: true } }], CLIENT);
    expect(done).toMatchObject({ status: 'completed', result: ['fast0', 1] });
    expect(shared.counts).toEqual({ fast: 1, write: 1 });
  });

  it('client tools, timers, cache reads and callback errors replay durably', async () => {
    const shared = countingApi();
    const executor = make([shared.api], { maxHotPaused: 0 });
    const code = `
      await atp.cache.set('k', 1);
      const picked = await api.client.pick({ from: [1, 2, 3] });
      await new Promise((r) => setTimeout(r, 5));
      const cached = await atp.cache.get('k');
      let failure = null;
      try { await atp.llm.call('will fail'); } catch (e) { failure = e.message; }
      const [a, b] = await Promise.all([api.g.fast({ round: picked }), atp.embedding.embed('x')]);
      const [hit] = await atp.embedding.search('x');
      return { picked, cached, failure, a, b, hit, t: typeof Date.now() };`;
    let result = await executor.execute(code, {
      ...WITH_SERVICES,
      clientTools: [{ name: 'pick' }],
    });
    const answers: unknown[] = [2, { __error: true, message: 'no model' }, [0.5], [2]];
    while (result.status === 'paused') {
      result = await executor.resume(result.executionId, [{ id: '', result: answers.shift() }], CLIENT);
    }
    expect(result).toMatchObject({
      status: 'completed',
      // The embedding store is rebuilt from the journal on each replay: the stored text is found again.
      result: {
        picked: 2,
        cached: 1,
        failure: 'no model',
        a: 'fast2',
        b: 'emb_1',
        hit: { id: 'emb_1', text: 'x', similarity: 1 },
        t: 'number',
      },
    });
    expect(answers).toEqual([]);
    expect(shared.counts).toEqual({ fast: 1 });
  });

  it('a large journal is written in the background before the pause and replays', async () => {
    const cache = new MemoryCache();
    let calls = 0;
    const big = group('big', {
      blob: ({ i }) => {
        calls++;
        return { i, data: 'x'.repeat(200_000) };
      },
    });
    const executor = make([big], { cache, maxHotPaused: 0 });
    const paused = await executor.execute(
      'let n = 0; for (let i = 0; i < 30; i++) n += (await api.big.blob({ i })).data.length; return n + Number(await atp.llm.call("q"));',
      WITH_SERVICES,
    );
    expect((await cache.range(`atp:exec:${paused.executionId}:journal`)).length).toBe(30);
    const done = await executor.resume(paused.executionId, [{ id: '', result: '1' }], CLIENT);
    expect(done).toMatchObject({ status: 'completed', result: 6_000_001 });
    expect(calls).toBe(30);
    const quick = await executor.execute(
      'let n = 0; for (let i = 0; i < 30; i++) n += (await api.big.blob({ i })).i; return n;',
      CLIENT,
    );
    expect(quick.result).toBe(435);
    expect(await cache.range(`atp:exec:${quick.executionId}:journal`)).toEqual([]);
  });

  it('a journal that does not match the code fails with NONDETERMINISTIC_REPLAY and runs nothing twice', async () => {
    const cache = new MemoryCache();
    const shared = countingApi();
    const executor = make([shared.api], { cache, maxHotPaused: 0 });
    const paused = await executor.execute(
      'const a = await api.g.fast({ round: 1 }); const q = await atp.llm.call("q"); return [a, q, await api.g.fast({ round: 2 })];',
      WITH_SERVICES,
    );
    // Tamper with the recorded call: the replayed code makes a different call than the journal answers.
    const key = `atp:exec:${paused.executionId}:journal`;
    const journal = await cache.range<{ t: number; r: [number, string, number, string][] }>(key);
    journal[0]!.r[0]![1] = 'api:different';
    await cache.delete(key);
    for (const entry of journal) await cache.append(key, entry);
    const result = await executor.resume(paused.executionId, [{ id: '', result: 'x' }], CLIENT);
    expect(result).toMatchObject({ status: 'failed', error: { code: 'NONDETERMINISTIC_REPLAY' } });
    expect(shared.counts.fast).toBe(1);
    await expect(
      executor.resume(paused.executionId, [{ id: '', result: 'x' }], CLIENT),
    ).rejects.toMatchObject({
      code: 'EXECUTION_NOT_PAUSED',
    });
  });

  it('a missing journal fails the resume clearly', async () => {
    const cache = new MemoryCache();
    const executor = make([countingApi().api], { cache, maxHotPaused: 0 });
    const paused = await executor.execute(
      'await api.g.fast({ round: 1 }); return await atp.llm.call("q");',
      WITH_SERVICES,
    );
    await cache.delete(`atp:exec:${paused.executionId}:journal`);
    const result = await executor.resume(paused.executionId, [{ id: '', result: 'x' }], CLIENT);
    expect(result).toMatchObject({ status: 'failed', error: { code: 'NONDETERMINISTIC_REPLAY' } });
  });

  it('the paused state stays small and the journal grows by one step per resume', async () => {
    const cache = new MemoryCache();
    const executor = make([], { cache });
    let result = await executor.execute(
      'let s = 0; for (let i = 0; i < 30; i++) s += Number(await atp.llm.call("q" + i)); return s;',
      WITH_SERVICES,
    );
    const sizes: number[] = [];
    const journalLengths: number[] = [];
    while (result.status === 'paused') {
      const state = await cache.get(`atp:exec:${result.executionId}:state`);
      sizes.push(JSON.stringify(state).length);
      journalLengths.push((await cache.range(`atp:exec:${result.executionId}:journal`)).length);
      result = await executor.resume(result.executionId, [{ id: '', result: '1' }], CLIENT);
    }
    expect(result.result).toBe(30);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThan(40);
    expect(journalLengths).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });
});
