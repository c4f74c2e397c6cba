import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import type { DynamicStructuredTool } from '@langchain/core/tools';
import { createATPTools } from '../src/index.js';
import { startATPServer } from './support/atp-server';

type Harness = Awaited<ReturnType<typeof startATPServer>>;

describe('atp_execute_code reports every execution status', () => {
  let h: Harness;
  let execute: DynamicStructuredTool;
  let search: DynamicStructuredTool;
  const run = async (code: string, extra: Record<string, unknown> = {}) =>
    String(await execute.invoke({ code, ...extra }));

  beforeAll(async () => {
    h = await startATPServer();
    const client = new AgentToolProtocolClient({ baseUrl: h.url });
    await client.init();
    const tools = createATPTools(client, { maxResultChars: 600 });
    search = tools[0]!;
    execute = tools[2]!;
  });
  afterAll(() => h.close());

  it('completed, with atp.log lines', async () => {
    const answer = await run(`atp.log.info('counting', { n: 2 }); return 1 + 1;`);
    expect(answer).toBe('status: completed (0 API calls)\nresult: 2\nlogs:\n  [info] counting {"n":2}');
  });

  it('completed without a return value says so', async () => {
    expect(await run('const x = 1;')).toContain('result: undefined (the code returned nothing');
  });

  it('failed, with the error the code threw', async () => {
    const answer = await run(`throw new Error('no tickets today');`);
    expect(answer).toMatch(/^status: failed/);
    expect(answer).toContain('no tickets today');
    expect(answer).toContain('next: Fix the code');
  });

  it('failed on an unknown API function, naming close matches', async () => {
    const answer = await run('return await api.desk.tickets.lst({});');
    expect(answer).toMatch(/^status: failed/);
    expect(answer).toContain('api.desk.tickets.list');
  });

  it('timeout', async () => {
    const answer = await run('while (true) {}', { timeoutMs: 300 });
    expect(answer).toMatch(/^status: (timeout|cpu_time_exceeded)/);
    expect(answer).toMatch(/next: The code (ran out of time|used too much CPU)/);
  });

  it('security_violation, with the policy that blocked the call', async () => {
    const answer = await run('return await api.desk.secrets.read({});');
    expect(answer).toMatch(/^status: security_violation/);
    expect(answer).toContain('error (SECURITY_VIOLATION): The call to');
    expect(answer).toContain('secrets never leave the desk');
    expect(answer).toContain('Do not retry it');
  });

  it('a tool call that needs approval fails closed when this client cannot approve', async () => {
    const answer = await run(`return await api.desk.tickets.close({ id: 'T-2' });`);
    expect(answer).toMatch(/^status: security_violation/);
    expect(answer).toContain('requires approval');
    expect(h.desk.closed).toEqual([]);
  });

  it('a large result is cut to maxResultChars with a note telling the model to return less', async () => {
    const answer = await run(`return await api.desk.tickets.list({});`);
    expect(answer.length).toBeLessThanOrEqual(600);
    expect(answer).toMatch(/^status: completed/);
    expect(answer).toContain('more characters cut. Return less: filter, aggregate or slice inside the code');
  });

  it('server refusals become answers instead of exceptions', async () => {
    const answer = String(await search.invoke({ query: 'x'.repeat(3000) }));
    expect(answer).toMatch(/^error \(VALIDATION_ERROR\): .*query/);
  });

  it('an unreachable server is reported as retryable', async () => {
    const other = await startATPServer();
    const client = new AgentToolProtocolClient({ baseUrl: other.url });
    await client.init();
    const [, , offline] = createATPTools(client) as DynamicStructuredTool[];
    await other.close();
    const answer = String(await offline!.invoke({ code: 'return 1' }));
    expect(answer).toMatch(/^error \(SERVICE_UNAVAILABLE\): Could not reach the ATP server/);
    expect(answer).toContain('This may work if tried again later.');
  });
});
