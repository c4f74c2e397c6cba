import { AgentToolProtocolClient } from '@agent-tool-protocol/client';
import { startServer } from './support/http';

type Harness = Awaited<ReturnType<typeof startServer>>;

describe('POST /api/execute/stream', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer();
  });
  afterAll(() => h.close());

  it('streams progress and logs, then the result, across a pause', async () => {
    const client = new AgentToolProtocolClient({ baseUrl: h.url }).provideLLM({
      call: async (prompt) => `ok:${prompt}`,
    });
    await client.init();
    const progress: Array<{ message: string; fraction?: number }> = [];
    const logs: string[] = [];
    const result = await client.executeStream(
      `
      atp.log.info('starting');
      for (let i = 1; i <= 3; i++) {
        await api.tickets.wait({ ms: 120 });
        atp.progress.report('step ' + i, i / 4);
      }
      const answer = await atp.llm.call('last');
      atp.progress.report('done', 1);
      return answer;
      `,
      { onProgress: (event) => progress.push(event), onLog: (entry) => logs.push(entry.message) },
    );
    expect(result).toMatchObject({ status: 'completed', result: 'ok:last' });
    expect(logs).toEqual(['starting']);
    expect(progress.map((event) => event.message)).toEqual(['step 1', 'step 2', 'step 3', 'done']);
    expect(progress.at(-1)?.fraction).toBe(1);
  });

  it('rate-limits bursts of progress but always delivers the latest', async () => {
    const client = new AgentToolProtocolClient({ baseUrl: h.url });
    await client.init();
    const progress: string[] = [];
    const result = await client.executeStream(
      `for (let i = 0; i < 500; i++) atp.progress.report('item ' + i, i / 499); return 'ok';`,
      { onProgress: (event) => progress.push(event.message) },
    );
    expect(result.status).toBe('completed');
    expect(progress.length).toBeLessThan(50);
    expect(progress.at(-1)).toBe('item 499');
  });

  it('answers bad bodies with a plain JSON 400, not a stream', async () => {
    const { headers } = await h.init();
    const response = await h.call('POST', '/api/execute/stream', { body: { code: 7 }, headers });
    expect(response.status).toBe(400);
    expect(response.json.code).toBe('VALIDATION_ERROR');
  });

  it('speaks the event format ATP 0.19 clients parse', async () => {
    const { headers } = await h.init();
    const response = await fetch(`${h.url}/api/execute/stream`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ code: "atp.progress.report('half', 0.5); return 42" }),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    expect(text).toMatch(/event: progress\ndata: \{.*"message":"half".*\}\n\n/);
    expect(text).toMatch(/event: result\ndata: \{.*"status":"completed".*\}\n\n$/);
  });
});
