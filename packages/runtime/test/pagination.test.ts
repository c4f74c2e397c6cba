import { type APIGroup, PAGE_CALL_SUFFIX, type PageCallAnswer } from '@agent-tool-protocol/protocol';
import { ALL_SERVICES, CLIENT, executors } from './helpers';

// The sandbox side of `api.<fn>.paginate()` / `.all()`: each page is one `api` host call to
// `<fn>.<helper>#page` with the page's input. The dispatcher here answers page calls itself (the catalog
// does it for real groups), so these tests see exactly which page calls the sandbox makes.

const make = executors();

interface Listing {
  group: APIGroup;
  /** The input of every page call, in order. */
  calls: Array<{ path: string; input: Record<string, unknown> }>;
}

/** `numbers.list`: `total` numbers in pages of `size` (cursor = next start); `defaultMax` as the host's cap. */
function numbers(total: number, size = 3, defaultMax = 1000): Listing {
  const calls: Listing['calls'] = [];
  const page = (helper: string) => ({
    name: `list.${helper}${PAGE_CALL_SUFFIX}`,
    handler: (input: Record<string, unknown>): PageCallAnswer => {
      calls.push({ path: `numbers.list.${helper}`, input });
      const start = typeof input.start === 'number' ? input.start : 0;
      const items = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, i) => start + i);
      const next = start + size < total ? { start: start + size } : null;
      return { page: { items, next, defaultMax } };
    },
  });
  return {
    calls,
    group: {
      name: 'numbers',
      type: 'custom',
      functions: [
        { name: 'list', handler: () => [] },
        page('paginate'),
        page('all'),
        {
          name: `own.all${PAGE_CALL_SUFFIX}`,
          handler: (input: unknown): PageCallAnswer => ({ value: { ownResult: input } }),
        },
        {
          name: `own.paginate${PAGE_CALL_SUFFIX}`,
          handler: (): PageCallAnswer => ({ value: 'a function named paginate' }),
        },
        { name: `broken.all${PAGE_CALL_SUFFIX}`, handler: () => ({ rows: [] }) },
        {
          name: `warns.all${PAGE_CALL_SUFFIX}`,
          handler: (): PageCallAnswer => ({
            page: { items: [1], next: null, defaultMax: 10, warning: 'found no next cursor' },
          }),
        },
      ],
    },
  };
}

describe('api.<fn>.paginate() and .all() in the sandbox', () => {
  it('for await yields every item, page by page, merging the next input over the previous one', async () => {
    const listing = numbers(8);
    const result = await make([listing.group]).execute(
      `const seen = [];
       for await (const n of api.numbers.list.paginate({ filter: 'x' })) seen.push(n);
       return seen;`,
      CLIENT,
    );
    expect(result).toMatchObject({ status: 'completed', result: [0, 1, 2, 3, 4, 5, 6, 7] });
    expect(listing.calls).toEqual([
      { path: 'numbers.list.paginate', input: { filter: 'x' } },
      { path: 'numbers.list.paginate', input: { filter: 'x', start: 3 } },
      { path: 'numbers.list.paginate', input: { filter: 'x', start: 6 } },
    ]);
    expect(result.stats.toolCallsCount).toBe(3);
  });

  it('fetches a page only when the loop asks for more: break stops the listing', async () => {
    const listing = numbers(100);
    const result = await make([listing.group]).execute(
      `const seen = [];
       for await (const n of api.numbers.list.paginate()) { seen.push(n); if (n === 3) break; }
       return seen;`,
      CLIENT,
    );
    expect(result.result).toEqual([0, 1, 2, 3]);
    expect(listing.calls).toHaveLength(2);
  });

  it('.all collects into an array; max stops mid-page without fetching further pages', async () => {
    const listing = numbers(100);
    const result = await make([listing.group]).execute(
      'return await api.numbers.list.all({}, { max: 5 });',
      CLIENT,
    );
    expect(result).toMatchObject({ status: 'completed', result: [0, 1, 2, 3, 4] });
    expect(listing.calls).toHaveLength(2);
    expect(result.logs ?? []).toEqual([]);
  });

  it('max exactly at a page end fetches no further page; max 0 fetches nothing', async () => {
    const listing = numbers(100);
    const executor = make([listing.group]);
    expect(
      (await executor.execute('return await api.numbers.list.all({}, { max: 6 });', CLIENT)).result,
    ).toEqual([0, 1, 2, 3, 4, 5]);
    expect(listing.calls).toHaveLength(2);
    expect(
      (await executor.execute('return await api.numbers.list.all({}, { max: 0 });', CLIENT)).result,
    ).toEqual([]);
    expect(listing.calls).toHaveLength(2);
  });

  it("without max, the host's default cap applies and agent code is told that pages were left", async () => {
    const listing = numbers(100, 3, 4);
    const result = await make([listing.group]).execute('return await api.numbers.list.all();', CLIENT);
    expect(result.result).toEqual([0, 1, 2, 3]);
    expect(listing.calls).toHaveLength(2);
    expect(result.logs).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: expect.stringContaining('api.numbers.list.all stopped at 4 items, the default cap'),
      }),
    ]);
    // A listing that ends exactly at the cap has nothing left: no warning.
    const exact = numbers(4, 2, 4);
    const complete = await make([exact.group]).execute('return await api.numbers.list.all();', CLIENT);
    expect(complete.result).toEqual([0, 1, 2, 3]);
    expect(complete.logs ?? []).toEqual([]);
  });

  it('every page is a host call counted by maxToolCalls', async () => {
    const listing = numbers(10_000);
    const result = await make([listing.group]).execute(
      'return (await api.numbers.list.all({}, { max: Infinity })).length;',
      { ...CLIENT, limits: { maxToolCalls: 5 } },
    );
    expect(result).toMatchObject({ status: 'tool_calls_exceeded', error: { code: 'TOOL_CALLS_EXCEEDED' } });
    expect(listing.calls).toHaveLength(5);
  });

  it('a function named like a helper keeps working (the host answers its own result)', async () => {
    const listing = numbers(3);
    const executor = make([listing.group]);
    const all = await executor.execute('return await api.numbers.own.all({ q: 1 });', CLIENT);
    expect(all).toMatchObject({ status: 'completed', result: { ownResult: { q: 1 } } });
    const paginate = await executor.execute('return await api.numbers.own.paginate();', CLIENT);
    expect(paginate).toMatchObject({ status: 'completed', result: 'a function named paginate' });
    const iterated = await executor.execute(
      'try { for await (const x of api.numbers.own.paginate()) {} } catch (e) { return e.message; }',
      CLIENT,
    );
    expect(iterated.result).toBe(
      'api.numbers.own.paginate is a function of its own, not a listing: call it with await api.numbers.own.paginate(input)',
    );
  });

  it('awaiting paginate() of a listing explains itself', async () => {
    const listing = numbers(3);
    const result = await make([listing.group]).execute(
      'try { await api.numbers.list.paginate(); } catch (e) { return e.name + ": " + e.message; }',
      CLIENT,
    );
    expect(result.result).toBe(
      'TypeError: api.numbers.list.paginate(…) is an async iterable: use for await (const item of api.numbers.list.paginate(…)), or await api.numbers.list.all(…) for an array',
    );
  });

  it('refuses bad inputs and options before any call, naming the helper', async () => {
    const listing = numbers(3);
    const executor = make([listing.group]);
    const run = async (code: string) =>
      (await executor.execute(`try { ${code} } catch (e) { return e.name + ": " + e.message; }`, CLIENT))
        .result;
    expect(await run('await api.numbers.list.all({}, { maximum: 3 });')).toBe(
      'TypeError: api.numbers.list.all: unknown option "maximum" (the only option is max)',
    );
    expect(await run('await api.numbers.list.all({}, { max: -1 });')).toBe(
      'RangeError: api.numbers.list.all: max must be a whole number of items (or Infinity)',
    );
    expect(await run('for await (const x of api.numbers.list.paginate("owner/repo")) {}')).toBe(
      'TypeError: api.numbers.list.paginate: the input must be an object',
    );
    expect(listing.calls).toHaveLength(0);
  });

  it('errors name the helper, not the page call; a malformed answer is an error', async () => {
    const listing = numbers(3);
    const executor = make([listing.group]);
    const unknown = await executor.execute('return await api.numbers.missing.all();', CLIENT);
    expect(unknown.status).toBe('failed');
    expect(unknown.error?.message).toContain('api.numbers.missing.all is not a function');
    expect(unknown.error?.message).not.toContain(PAGE_CALL_SUFFIX);
    const broken = await executor.execute('return await api.numbers.broken.all();', CLIENT);
    expect(broken.error?.message).toContain("api.numbers.broken.all: the host's answer is not a page");
  });

  it("a page's warning reaches agent code as a log", async () => {
    const listing = numbers(3);
    const result = await make([listing.group]).execute('return await api.numbers.warns.all();', CLIENT);
    expect(result.result).toEqual([1]);
    expect(result.logs).toEqual([
      expect.objectContaining({ level: 'warn', message: 'found no next cursor' }),
    ]);
  });

  it('a listing paused on a callback mid-way resumes from the journal without fetching any page twice', async () => {
    const listing = numbers(9);
    const executor = make([listing.group], { maxHotPaused: 0 });
    const code = `const seen = [];
       for await (const n of api.numbers.list.paginate()) {
         if (n % 3 === 0) seen.push(await atp.llm.call('item ' + n));
         else seen.push(n);
       }
       return seen;`;
    let result = await executor.execute(code, { ...CLIENT, services: ALL_SERVICES });
    let pauses = 0;
    while (result.status === 'paused') {
      pauses++;
      const answers = result.needsCallbacks!.map((cb) => ({
        id: cb.id,
        result: `llm:${(cb.payload as { prompt: string }).prompt}`,
      }));
      result = await executor.resume(result.executionId, answers, CLIENT);
    }
    expect(pauses).toBe(3);
    expect(result).toMatchObject({
      status: 'completed',
      result: ['llm:item 0', 1, 2, 'llm:item 3', 4, 5, 'llm:item 6', 7, 8],
    });
    // Three pages, each fetched once although every resume re-ran the code from the journal.
    expect(listing.calls.map((call) => call.input)).toEqual([{}, { start: 3 }, { start: 6 }]);
  });
});
