import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import type { DynamicStructuredTool } from '@langchain/core/tools';
import {
  type ApprovalAnswer,
  type ApprovalInterruptValue,
  approvalFromCallback,
  approvalFromInterrupt,
  createATPTools,
  toApprovalResponse,
} from '../src/index.js';
import { startATPServer } from './support/atp-server';

type Harness = Awaited<ReturnType<typeof startATPServer>>;

/**
 * LangGraph's interrupt semantics without LangGraph: the first time a run asks, `interrupt` throws
 * (the app suspends and shows the value to a person); once the app resumes with an answer, the
 * re-run's `interrupt` returns it.
 */
class GraphInterrupt extends Error {
  constructor(readonly value: ApprovalInterruptValue) {
    super('interrupted');
  }
}
function fakeGraph() {
  const answers: unknown[] = [];
  const asked: ApprovalInterruptValue[] = [];
  const interrupt = (value: ApprovalInterruptValue) => {
    asked.push(value);
    if (answers.length > 0) return answers.shift();
    throw new GraphInterrupt(value);
  };
  return { interrupt, asked, resumeWith: (answer: unknown) => answers.push(answer) };
}

describe('approvals', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startATPServer();
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.desk.closed.length = 0;
  });

  it('approvalFromCallback approves a tool call that needs approval', async () => {
    const requests: unknown[] = [];
    const client = new AgentToolProtocolClient({ baseUrl: h.url }).provideApproval(
      approvalFromCallback((request) => {
        requests.push(request);
        return true;
      }),
    );
    await client.init();
    const [, , execute] = createATPTools(client) as DynamicStructuredTool[];
    const answer = String(
      await execute!.invoke({ code: `return await api.desk.tickets.close({ id: 'T-3' });` }),
    );
    expect(answer).toBe(
      'status: completed (1 API calls, 1 approvals)\nresult: {"id":"T-3","status":"closed"}',
    );
    expect(requests).toEqual([{ message: 'Close ticket T-3?', context: expect.anything() }]);
    expect(h.desk.closed).toEqual(['T-3']);
  });

  it('approvalFromCallback denies with the reason, and fails closed when the callback throws or times out', async () => {
    const answers: Array<() => ApprovalAnswer | Promise<ApprovalAnswer>> = [
      () => ({ approved: false, reason: 'not today' }),
      () => {
        throw new Error('approver offline');
      },
      () => new Promise(() => {}),
    ];
    const client = new AgentToolProtocolClient({ baseUrl: h.url }).provideApproval(
      approvalFromCallback(() => answers.shift()!(), { timeoutMs: 200 }),
    );
    await client.init();
    const result = await client.execute(`
      const out = [];
      for (const id of ['T-2', 'T-3', 'T-4']) {
        try { await api.desk.tickets.close({ id }); out.push('closed'); } catch (error) { out.push(error.message); }
      }
      return out;`);
    expect(result.status).toBe('completed');
    expect(result.result).toEqual([
      'Approval for api.desk.tickets.close was denied: not today',
      'Approval for api.desk.tickets.close was denied: The approval callback failed: approver offline',
      'Approval for api.desk.tickets.close was denied: No approval answer within 200 ms.',
    ]);
    expect(h.desk.closed).toEqual([]);
  });

  it('approvalFromInterrupt suspends the tool call and continues the same execution on the resumed run', async () => {
    const graph = fakeGraph();
    const client = new AgentToolProtocolClient({ baseUrl: h.url }).provideApproval(
      approvalFromInterrupt(graph.interrupt),
    );
    await client.init();
    const [, , execute] = createATPTools(client) as DynamicStructuredTool[];
    // Side effects before the approval (a counter in atp.cache) must happen once, not once per run.
    const code = `
      const runs = ((await atp.cache.get('runs')) ?? 0) + 1;
      await atp.cache.set('runs', runs);
      const closed = await api.desk.tickets.close({ id: 'T-7' });
      return { runs, closed };`;

    const first = execute!.invoke({ code });
    await expect(first).rejects.toBeInstanceOf(GraphInterrupt);
    expect(graph.asked).toEqual([
      { type: 'atp_approval', message: 'Close ticket T-7?', context: expect.anything() },
    ]);
    expect(h.desk.closed).toEqual([]);

    // Still not answered: the re-run suspends again.
    await expect(execute!.invoke({ code })).rejects.toBeInstanceOf(GraphInterrupt);

    graph.resumeWith({ approved: true });
    const answer = String(await execute!.invoke({ code }));
    expect(answer).toBe(
      'status: completed (1 API calls, 1 approvals)\nresult: {"runs":1,"closed":{"id":"T-7","status":"closed"}}',
    );
    expect(h.desk.closed).toEqual(['T-7']);
  });

  it('approvalFromInterrupt: a denial on resume reaches the code as a denied approval', async () => {
    const graph = fakeGraph();
    const client = new AgentToolProtocolClient({ baseUrl: h.url }).provideApproval(
      approvalFromInterrupt(graph.interrupt),
    );
    await client.init();
    const [, , execute] = createATPTools(client) as DynamicStructuredTool[];
    const code = `
      const ok = await atp.approval.request('Email all customers?', { count: 40 });
      return ok;`;
    await expect(execute!.invoke({ code })).rejects.toBeInstanceOf(GraphInterrupt);
    expect(graph.asked[0]).toEqual({
      type: 'atp_approval',
      message: 'Email all customers?',
      context: { count: 40 },
    });
    graph.resumeWith('no');
    const answer = String(await execute!.invoke({ code }));
    expect(answer).toBe(
      'status: completed (0 API calls, 1 approvals)\nresult: {"approved":false,"reason":"no"}',
    );
  });

  it('approvalFromInterrupt outside an ATP tool call reports the interrupt to the code as an error', async () => {
    const graph = fakeGraph();
    const client = new AgentToolProtocolClient({ baseUrl: h.url }).provideApproval(
      approvalFromInterrupt(graph.interrupt),
    );
    await client.init();
    const result = await client.execute(`
      try { await atp.approval.request('ok?'); return 'approved'; } catch (error) { return error.message; }`);
    expect(result).toMatchObject({ status: 'completed', result: 'interrupted' });
  });

  it('toApprovalResponse reads booleans, words and objects, and denies anything else', () => {
    expect(toApprovalResponse(true)).toEqual({ approved: true });
    expect(toApprovalResponse('Yes')).toEqual({ approved: true });
    expect(toApprovalResponse('nope')).toEqual({ approved: false, reason: 'nope' });
    expect(toApprovalResponse({ approved: false, reason: 'risky' })).toEqual({
      approved: false,
      reason: 'risky',
    });
    expect(toApprovalResponse(42)).toMatchObject({ approved: false });
  });
});
