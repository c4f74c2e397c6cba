import { AgentToolProtocolClient, ATPClientError, type PlanResult } from '@agent-tool-protocol/client';
import {
  initResponse,
  type ProtocolServer,
  startProtocolServer,
  stats,
  writeInPieces,
} from './support/protocol-server';

describe('AgentToolProtocolClient against a server speaking the protocol', () => {
  let server: ProtocolServer;

  afterEach(() => server?.close());

  it('answers every callback of a pause in one resume, with the token usage its LLM reported', async () => {
    server = await startProtocolServer({
      route({ path, body }) {
        if (path === '/api/init') return initResponse();
        if (path === '/api/execute') {
          return {
            executionId: 'e1',
            status: 'paused',
            stats,
            needsCallbacks: [
              { id: 'cb_1', type: 'llm', operation: 'call', payload: { prompt: 'a' } },
              { id: 'cb_2', type: 'llm', operation: 'call', payload: { prompt: 'b' } },
            ],
          };
        }
        if (path === '/api/resume/e1') {
          const { results } = body as { results: Array<{ id: string; result: string }> };
          return {
            executionId: 'e1',
            status: 'completed',
            result: results.map((r) => r.result).join('+'),
            stats,
          };
        }
        return undefined;
      },
    });
    const client = new AgentToolProtocolClient({ baseUrl: server.url }).provideLLM({
      call: async (prompt) => ({ text: prompt.toUpperCase(), usage: { inputTokens: 3, outputTokens: 1 } }),
    });
    await client.init();
    const result = await client.execute('return 1');
    expect(result).toMatchObject({ status: 'completed', result: 'A+B' });
    const resume = server.requests.find((request) => request.path === '/api/resume/e1');
    expect(resume?.body).toEqual({
      results: [
        { id: 'cb_1', result: 'A', usage: { inputTokens: 3, outputTokens: 1 } },
        { id: 'cb_2', result: 'B', usage: { inputTokens: 3, outputTokens: 1 } },
      ],
    });
    expect(resume?.headers).toMatchObject({ authorization: 'Bearer token-1', 'x-client-id': 'cli_test' });
    const execute = server.requests.find((request) => request.path === '/api/execute');
    expect(execute?.body).toMatchObject({ code: 'return 1', config: { clientServices: { hasLLM: true } } });
  });

  it('streams CRLF events the server splits mid blank line, across a pause', async () => {
    const event = (name: string, data: unknown) => `event: ${name}\r\ndata: ${JSON.stringify(data)}\r\n\r\n`;
    server = await startProtocolServer({
      async route({ path, res }) {
        if (path === '/api/init') return initResponse();
        if (path !== '/api/execute/stream' && path !== '/api/resume/e2/stream') return undefined;
        const first = path === '/api/execute/stream';
        const text =
          event('progress', { message: first ? 'started' : 'resumed', fraction: first ? 0.1 : 0.9 }) +
          event('log', { level: 'info', message: first ? 'one' : 'two', timestamp: 1 }) +
          event(
            'result',
            first
              ? {
                  executionId: 'e2',
                  status: 'paused',
                  stats,
                  needsCallback: { type: 'llm', operation: 'call', payload: { prompt: 'q' } },
                }
              : { executionId: 'e2', status: 'completed', result: 'done', stats },
          );
        // Cut inside every "\r\n\r\n": after "\r\n\r".
        const cuts: number[] = [];
        for (let at = text.indexOf('\r\n\r\n'); at !== -1; at = text.indexOf('\r\n\r\n', at + 4))
          cuts.push(at + 3);
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        await writeInPieces(res, text, cuts);
        return {};
      },
    });
    const client = new AgentToolProtocolClient({ baseUrl: server.url }).provideLLM({
      call: async () => 'answer',
    });
    await client.init();
    const progress: string[] = [];
    const logs: string[] = [];
    const result = await client.executeStream('return 1', {
      onProgress: (update) => progress.push(update.message ?? ''),
      onLog: (entry) => logs.push(entry.message),
    });
    expect(result).toMatchObject({ status: 'completed', result: 'done' });
    expect(progress).toEqual(['started', 'resumed']);
    expect(logs).toEqual(['one', 'two']);
    expect(server.requests.find((request) => request.path === '/api/resume/e2/stream')?.body).toEqual({
      results: [{ id: '', result: 'answer' }],
    });
  });

  it('plans, reads and rejects plans with the protocol types', async () => {
    const effect = {
      path: 'api.tickets.close',
      input: { id: 'T-1' },
      operationType: 'write',
      reason: 'write operation',
    };
    server = await startProtocolServer({
      route({ path, body }) {
        if (path === '/api/init') return initResponse();
        if (path === '/api/plan') {
          expect(body).toMatchObject({
            config: { stubs: { 'tickets.close': { ok: true } }, typecheck: 'warn' },
          });
          return { executionId: 'e3', status: 'completed', stats, planId: 'plan_1', effects: [effect] };
        }
        const record = {
          planId: 'plan_1',
          clientId: 'cli_test',
          executionId: 'e3',
          effects: [effect],
          createdAt: 1,
          expiresAt: 2,
        };
        if (path === '/api/plan/plan_1') return { ...record, status: 'ready' };
        if (path === '/api/plan/plan_1/reject') return { ...record, status: 'rejected' };
        return undefined;
      },
    });
    const client = new AgentToolProtocolClient({ baseUrl: server.url });
    await client.init();
    const plan: PlanResult = await client.plan('return 1', {
      stubs: { 'tickets.close': { ok: true } },
      typecheck: 'warn',
    });
    expect(plan.effects[0]?.operationType).toBe('write');
    expect((await client.getPlan(plan.planId)).status).toBe('ready');
    expect((await client.rejectPlan(plan.planId, 'not now')).status).toBe('rejected');
    expect(server.requests.at(-1)?.body).toEqual({ reason: 'not now' });
  });

  it('turns an error answer into an ATPClientError with its status, code and details', async () => {
    server = await startProtocolServer({
      route({ path, res }) {
        if (path === '/api/init') return initResponse();
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(
          JSON.stringify({
            error: 'Too many executions.',
            code: 'TOO_MANY_EXECUTIONS',
            details: { limit: 8 },
          }),
        );
        return {};
      },
    });
    const client = new AgentToolProtocolClient({ baseUrl: server.url });
    await client.init();
    const failure = await client.execute('return 1').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ATPClientError);
    expect(failure).toMatchObject({
      status: 429,
      code: 'TOO_MANY_EXECUTIONS',
      details: { limit: 8 },
      retryable: true,
    });
  });

  it('takes a rotated token from a response and uses it next', async () => {
    server = await startProtocolServer({
      route({ path, res }) {
        if (path === '/api/init') return initResponse();
        if (path === '/api/search') {
          res.setHeader('x-atp-token', 'token-2');
          res.setHeader('x-atp-token-expires', String(Date.now() + 3_600_000));
          return { results: [] };
        }
        if (path === '/api/explore') return { type: 'directory', path: '/', items: [] };
        return undefined;
      },
    });
    const client = new AgentToolProtocolClient({ baseUrl: server.url });
    await client.init();
    expect(await client.searchAPI('tickets')).toEqual([]);
    await client.exploreAPI('/');
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer token-2');
  });

  it('says when the server cannot be reached', async () => {
    const client = new AgentToolProtocolClient({ baseUrl: 'http://127.0.0.1:9' });
    await expect(client.init()).rejects.toMatchObject({ status: 0, code: 'SERVICE_UNAVAILABLE' });
  });
});
