import { callbackError, MemoryCache } from '@agent-tool-protocol/protocol';
import type { ExecutionEvent } from '../src/index.js';
import { ALL_SERVICES, CLIENT, executors, group } from './helpers';

const make = executors();
const WITH_SERVICES = { ...CLIENT, services: ALL_SERVICES };

describe('hot pause and resume', () => {
  it('Promise.all over 20 atp.llm.call pauses once with all 20 callbacks', async () => {
    const events: ExecutionEvent[] = [];
    const executor = make([], { onEvent: (event) => events.push(event) });
    const paused = await executor.execute(
      'const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => atp.llm.call({ prompt: "q" + i, temperature: 0 })));\nreturn answers.join(",");',
      WITH_SERVICES,
    );
    expect(paused.status).toBe('paused');
    expect(paused.needsCallbacks).toHaveLength(20);
    expect(paused.needsCallback).toBeUndefined();
    expect(paused.needsCallbacks![0]).toEqual({
      id: expect.any(String),
      type: 'llm',
      operation: 'call',
      payload: { prompt: 'q0', options: { temperature: 0 } },
    });
    expect(executor.stats().hotPaused).toBe(1);
    // Answer in reverse order: results are matched by id, never by position.
    const results = [...paused.needsCallbacks!]
      .reverse()
      .map((cb) => ({ id: cb.id, result: `a${String((cb.payload as { prompt: string }).prompt).slice(1)}` }));
    const done = await executor.resume(paused.executionId, results, CLIENT);
    expect(done).toMatchObject({
      status: 'completed',
      result: Array.from({ length: 20 }, (_, i) => `a${i}`).join(','),
    });
    expect(done.stats.llmCallsCount).toBe(20);
    expect(events.filter((e) => e.type === 'execution_pause')).toHaveLength(1);
    expect(events).toContainEqual(expect.objectContaining({ type: 'execution_resume', mode: 'hot' }));
    expect(events.filter((e) => e.type === 'llm_call')).toHaveLength(20);
    expect(executor.stats()).toMatchObject({ hotPaused: 0, activeExecutions: 0 });
  });

  it('uses the PROTOCOL.md payloads for every callback kind, with needsCallback when one is pending', async () => {
    const executor = make();
    const steps = [
      [
        'return await atp.llm.extract({ prompt: "p", schema: { type: "object" } });',
        'llm',
        'extract',
        { prompt: 'p', schema: { type: 'object' } },
      ],
      [
        'return await atp.llm.classify("text", ["a", "b"]);',
        'llm',
        'classify',
        { text: 'text', categories: ['a', 'b'] },
      ],
      ['return await atp.embedding.vector("hello");', 'embedding', 'embed', { text: 'hello' }],
    ] as const;
    for (const [code, type, operation, payload] of steps) {
      const paused = await executor.execute(code, WITH_SERVICES);
      expect(paused.needsCallback).toEqual({ type, operation, payload });
      const done = await executor.resume(paused.executionId, [{ id: '', result: 'answer' }], CLIENT);
      expect(done).toMatchObject({ status: 'completed', result: 'answer' });
    }
    // embed stores the vector the client answers and returns its id; search ranks the stored texts by
    // the query vector the client answers.
    let stored = await executor.execute(
      'const id = await atp.embedding.embed("hello", { lang: "en" }); return { id, hits: await atp.embedding.search("hello", { topK: 3 }) };',
      WITH_SERVICES,
    );
    expect(stored.needsCallback).toEqual({
      type: 'embedding',
      operation: 'embed',
      payload: { text: 'hello' },
    });
    stored = await executor.resume(stored.executionId, [{ id: '', result: [1, 0] }], CLIENT);
    expect(stored.needsCallback).toEqual({
      type: 'embedding',
      operation: 'search',
      payload: { query: 'hello', topK: 3 },
    });
    stored = await executor.resume(stored.executionId, [{ id: '', result: [1, 0] }], CLIENT);
    expect(stored).toMatchObject({
      status: 'completed',
      result: {
        id: 'emb_1',
        hits: [{ id: 'emb_1', text: 'hello', similarity: 1, metadata: { lang: 'en' } }],
      },
    });
    const approval = await executor.execute(
      'return await atp.approval.request("Delete?", { n: 1 });',
      WITH_SERVICES,
    );
    expect(approval.needsCallback).toEqual({
      type: 'approval',
      operation: 'request',
      payload: { message: 'Delete?', context: { n: 1 }, executionId: approval.executionId },
    });
    const approved = await executor.resume(
      approval.executionId,
      [{ id: '', result: { approved: true } }],
      CLIENT,
    );
    expect(approved.result).toEqual({ approved: true });
  });

  it('pauses with all pending callbacks only once host work has finished', async () => {
    let calls = 0;
    const executor = make([group('g', { slow: () => new Promise((r) => setTimeout(() => r(++calls), 30)) })]);
    const paused = await executor.execute(
      `const a = atp.llm.call("first");
       const b = api.g.slow().then((n) => atp.llm.call("after " + n));
       const c = new Promise((r) => setTimeout(r, 20)).then(() => atp.llm.call("after timer"));
       return await Promise.all([a, b, c]);`,
      WITH_SERVICES,
    );
    expect(paused.needsCallbacks!.map((cb) => (cb.payload as { prompt: string }).prompt).sort()).toEqual([
      'after 1',
      'after timer',
      'first',
    ]);
    const done = await executor.resume(
      paused.executionId,
      paused.needsCallbacks!.map((cb) => ({
        id: cb.id,
        result: (cb.payload as { prompt: string }).prompt.toUpperCase(),
      })),
      CLIENT,
    );
    expect(done.result).toEqual(['FIRST', 'AFTER 1', 'AFTER TIMER']);
  });

  it('partial answers keep the rest pending; later pauses include them', async () => {
    const executor = make();
    const paused = await executor.execute(
      'return await Promise.all([atp.llm.call("a"), atp.llm.call("b")]);',
      WITH_SERVICES,
    );
    const [first, second] = paused.needsCallbacks!;
    const again = await executor.resume(paused.executionId, [{ id: first!.id, result: 'A' }], CLIENT);
    expect(again.status).toBe('paused');
    expect(again.needsCallbacks).toEqual([second]);
    expect(again.needsCallback).toEqual({ type: 'llm', operation: 'call', payload: { prompt: 'b' } });
    const done = await executor.resume(paused.executionId, [{ id: second!.id, result: 'B' }], CLIENT);
    expect(done.result).toEqual(['A', 'B']);
  });

  it('a client error answer throws inside the sandbox with that message', async () => {
    const executor = make();
    const paused = await executor.execute(
      'try { await atp.llm.call("q"); } catch (e) { return { message: e.message, code: e.code }; }',
      WITH_SERVICES,
    );
    const done = await executor.resume(
      paused.executionId,
      [{ id: '', result: callbackError('model overloaded') }],
      CLIENT,
    );
    expect(done.result).toEqual({ message: 'model overloaded', code: 'CALLBACK_ERROR' });
  });

  it('a callback the client did not declare throws a clear error inside the sandbox', async () => {
    const executor = make();
    const result = await executor.execute(
      'const out = []; for (const f of [() => atp.llm.call("q"), () => atp.embedding.embed("t"), () => atp.approval.request("ok?")]) { try { await f(); } catch (e) { out.push(e.message); } } return out;',
      CLIENT,
    );
    expect(result.result).toEqual([
      'atp.llm.call is unavailable: this client did not provide an LLM (services.hasLLM)',
      'atp.embedding.embed is unavailable: this client did not provide embeddings (services.hasEmbedding)',
      'atp.approval.request is unavailable: this client did not provide an approver (services.hasApproval)',
    ]);
  });

  it('atp.approval.request falls back to the server approver when the client has none', async () => {
    const executor = make([], {
      onApproval: async ({ message }) => ({ approved: message === 'yes?', reason: 'server' }),
    });
    const result = await executor.execute(
      'return [await atp.approval.request("yes?"), await atp.approval.request("no?")];',
      CLIENT,
    );
    expect(result.result).toEqual([
      { approved: true, reason: 'server' },
      { approved: false, reason: 'server' },
    ]);
  });

  it('invalid callback input is a TypeError naming the field', async () => {
    const executor = make();
    const result = await executor.execute(
      'try { await atp.llm.classify({ text: "t" }); } catch (e) { return e.message; }',
      WITH_SERVICES,
    );
    expect(result.result).toContain('categories');
  });

  it('client tools pause as tool/call callbacks, with namespaces', async () => {
    const executor = make();
    const paused = await executor.execute(
      'return [await api.client.pick({ n: 1 }), await api.ui.confirm("sure?")];',
      {
        ...WITH_SERVICES,
        clientTools: [{ name: 'pick' }, { name: 'confirm', namespace: 'ui' }],
      },
    );
    expect(paused.needsCallback).toEqual({
      type: 'tool',
      operation: 'call',
      payload: { toolName: 'pick', input: { n: 1 } },
    });
    const second = await executor.resume(paused.executionId, [{ id: '', result: 7 }], CLIENT);
    expect(second.needsCallback).toEqual({
      type: 'tool',
      operation: 'call',
      payload: { toolName: 'confirm', input: 'sure?' },
    });
    const done = await executor.resume(paused.executionId, [{ id: '', result: true }], CLIENT);
    expect(done.result).toEqual([7, true]);
    expect(done.stats.toolCallsCount).toBe(2);
  });

  it('duration excludes the time paused for the client', async () => {
    const executor = make();
    const paused = await executor.execute('return await atp.llm.call("q");', WITH_SERVICES);
    await new Promise((r) => setTimeout(r, 300));
    const done = await executor.resume(paused.executionId, [{ id: '', result: 'x' }], CLIENT);
    expect(done.stats.duration).toBeLessThan(250);
  });
});

describe('resume errors', () => {
  it('unknown execution and another client get the same EXECUTION_NOT_FOUND', async () => {
    const executor = make();
    await expect(executor.resume('nope', [{ id: '', result: 1 }], CLIENT)).rejects.toMatchObject({
      code: 'EXECUTION_NOT_FOUND',
      httpStatus: 404,
    });
    const paused = await executor.execute('return await atp.llm.call("q");', WITH_SERVICES);
    await expect(
      executor.resume(paused.executionId, [{ id: '', result: 1 }], { clientId: 'intruder' }),
    ).rejects.toMatchObject({
      code: 'EXECUTION_NOT_FOUND',
      message: `Execution ${paused.executionId} was not found`,
    });
    expect(await executor.getPendingCallbacks(paused.executionId, 'intruder')).toBeUndefined();
    expect(await executor.getPendingCallbacks(paused.executionId, CLIENT.clientId)).toEqual(
      paused.needsCallbacks,
    );
  });

  it('a finished execution is EXECUTION_NOT_PAUSED; an unknown id is a ValidationError naming it', async () => {
    const executor = make();
    const paused = await executor.execute(
      'return await Promise.all([atp.llm.call("a"), atp.llm.call("b")]);',
      WITH_SERVICES,
    );
    await expect(
      executor.resume(paused.executionId, [{ id: 'cb_999', result: 1 }], CLIENT),
    ).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringContaining('cb_999'),
    });
    await expect(executor.resume(paused.executionId, [{ id: '', result: 1 }], CLIENT)).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    const done = await executor.resume(
      paused.executionId,
      paused.needsCallbacks!.map((cb) => ({ id: cb.id, result: cb.id })),
      CLIENT,
    );
    expect(done.status).toBe('completed');
    await expect(executor.resume(paused.executionId, [{ id: '', result: 1 }], CLIENT)).rejects.toMatchObject({
      code: 'EXECUTION_NOT_PAUSED',
      httpStatus: 409,
    });
  });

  it('two concurrent resumes: exactly one wins, the other gets RESUME_IN_PROGRESS', async () => {
    const cache = new MemoryCache();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const api = [group('g', { wait: () => gate })];
    const a = make(api, { cache });
    const b = make(api, { cache });
    const paused = await a.execute(
      'const x = await atp.llm.call("q"); await api.g.wait(); return x;',
      WITH_SERVICES,
    );
    const first = a.resume(paused.executionId, [{ id: '', result: 'one' }], CLIENT);
    await new Promise((r) => setTimeout(r, 20));
    await expect(a.resume(paused.executionId, [{ id: '', result: 'two' }], CLIENT)).rejects.toMatchObject({
      code: 'RESUME_IN_PROGRESS',
    });
    await expect(b.resume(paused.executionId, [{ id: '', result: 'two' }], CLIENT)).rejects.toMatchObject({
      code: 'RESUME_IN_PROGRESS',
    });
    release();
    expect(await first).toMatchObject({ status: 'completed', result: 'one' });
  });

  it('cancel ends a paused execution and a running one', async () => {
    const executor = make([group('g', { never: () => new Promise(() => {}) })]);
    const paused = await executor.execute('return await atp.llm.call("q");', WITH_SERVICES);
    expect(await executor.cancel(paused.executionId, { clientId: 'other' })).toBe(false);
    expect(await executor.cancel(paused.executionId, CLIENT)).toBe(true);
    await expect(executor.resume(paused.executionId, [{ id: '', result: 1 }], CLIENT)).rejects.toMatchObject({
      code: 'EXECUTION_NOT_PAUSED',
    });
    const running = executor.execute('await api.g.never(); return 1;', { ...CLIENT, executionId: 'run-1' });
    await new Promise((r) => setTimeout(r, 30));
    expect(await executor.cancel('run-1', CLIENT)).toBe(true);
    expect(await running).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
    const spinning = executor.execute('while (true) {}', { ...CLIENT, executionId: 'run-2' });
    await new Promise((r) => setTimeout(r, 50));
    expect(await executor.cancel('run-2', CLIENT)).toBe(true);
    expect((await spinning).status).toBe('cancelled');
  });

  it('evicts the oldest hot executions beyond maxHotPausedMemoryMB', async () => {
    const executor = make([], { maxHotPausedMemoryMB: 1 });
    const first = await executor.execute('return await atp.llm.call("q");', WITH_SERVICES);
    expect(executor.stats().hotPaused).toBe(1);
    await executor.execute(
      'const big = "x".repeat(300000).split(""); return await atp.llm.call("q" + big.length);',
      WITH_SERVICES,
    );
    expect(executor.stats().hotPaused).toBe(1);
    expect(await executor.resume(first.executionId, [{ id: '', result: 'ok' }], CLIENT)).toMatchObject({
      result: 'ok',
    });
  });

  it('evicts the oldest hot execution beyond maxHotPaused; it still resumes (durably)', async () => {
    const events: ExecutionEvent[] = [];
    const executor = make([], { maxHotPaused: 2, onEvent: (e) => events.push(e) });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        (await executor.execute(`return (await atp.llm.call("q")) + ${i};`, WITH_SERVICES)).executionId,
      );
    expect(executor.stats().hotPaused).toBe(2);
    for (const [i, id] of ids.entries()) {
      expect(await executor.resume(id, [{ id: '', result: 'r' }], CLIENT)).toMatchObject({ result: `r${i}` });
    }
    const modes = events.flatMap((e) => (e.type === 'execution_resume' ? [e.mode] : []));
    expect(modes).toEqual(['durable', 'hot', 'hot']);
  });
});
