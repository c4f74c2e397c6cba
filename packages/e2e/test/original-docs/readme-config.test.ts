import { createServer } from '@agent-tool-protocol/server';
import { listening } from './support/harness';
import { RawClient } from './support/raw-client';

// README › Configuration (`interface ServerConfig`) and the limits in "Security Best Practices": each field
// does what the README says. Usage ids match the table in README.md beside this file.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('execution limits are what every execution gets', () => {
  test('R39 execution.timeout above the 30 s default: an execution may run 31 s', async () => {
    const server = createServer({ execution: { timeout: 45_000 } });
    server.addAPIGroup({
      name: 'slow',
      type: 'custom',
      functions: [{ name: 'wait', handler: () => sleep(31_000).then(() => 'done') }],
    });
    const started = await listening(server);
    try {
      const client = await started.client();
      const result = await client.execute('return await api.slow.wait({});');
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({ status: 'completed', result: 'done' });
    } finally {
      await started.close();
    }
  }, 90_000);

  test('R40 execution.memory above the 128 MB default: an execution may hold ~180 MB', async () => {
    const server = createServer({ execution: { memory: 256 * 1024 * 1024 } });
    const started = await listening(server);
    try {
      const client = await started.client();
      const result = await client.execute(`
        const blocks = [];
        for (let i = 0; i < 180; i++) blocks.push(new Array(128 * 1024).fill(i + 0.5));
        return blocks.length;`);
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({ status: 'completed', result: 180 });
    } finally {
      await started.close();
    }
  }, 60_000);

  test('R41 execution.llmCalls: 2000 lets an execution make 150 LLM calls', async () => {
    const server = createServer({ execution: { llmCalls: 2000 } });
    const started = await listening(server);
    try {
      const client = await started.client();
      const result = await client.execute(`
        const answers = await Promise.all(Array.from({ length: 150 }, (_, i) => atp.llm.call({ prompt: 'n' + i })));
        return answers.length;`);
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({ status: 'completed', result: 150 });
    } finally {
      await started.close();
    }
  }, 60_000);

  test('R42 execution.provenanceMode defaults to none', async () => {
    const started = await listening(createServer({}));
    try {
      const info = await fetch(`${started.url}/api/info`).then((r) => r.json());
      expect(info).toMatchObject({ capabilities: { provenance: false } });
    } finally {
      await started.close();
    }
  });
});

describe('clientInit', () => {
  test('R43 clientInit.tokenTTL sets the token lifetime (seconds)', async () => {
    const started = await listening(createServer({ clientInit: { tokenTTL: 120, tokenRotation: 60 } }));
    try {
      const before = Date.now();
      const raw = await RawClient.init(started.url);
      expect(raw.session.expiresAt).toBeGreaterThanOrEqual(before + 119_000);
      expect(raw.session.expiresAt).toBeLessThanOrEqual(Date.now() + 121_000);
    } finally {
      await started.close();
    }
  });
});

describe('executionState: each bound ends a pause on its own', () => {
  async function pausedThenResumedAfter(executionState: { ttl: number; maxPauseDuration: number }) {
    const started = await listening(createServer({ executionState }));
    try {
      const raw = await RawClient.init(started.url, { hasLLM: true });
      const paused = await raw.post('/api/execute', {
        code: "return await atp.llm.call({ prompt: 'Hello' });",
      });
      expect(paused.body.status).toBe('paused');
      await sleep(2_500);
      return await raw.post(`/api/resume/${String(paused.body.executionId)}`, { result: 'late answer' });
    } finally {
      await started.close();
    }
  }

  test('R44 executionState.maxPauseDuration: 1 (ttl long): a resume 2.5 s later finds the pause expired', async () => {
    const resumed = await pausedThenResumedAfter({ ttl: 3600, maxPauseDuration: 1 });
    expect(resumed.body.status).not.toBe('completed');
    expect(JSON.stringify(resumed.body)).toMatch(/expire/i);
  });

  test('R45 executionState.ttl: 1 (maxPauseDuration long): a resume 2.5 s later finds the pause expired', async () => {
    const resumed = await pausedThenResumedAfter({ ttl: 1, maxPauseDuration: 3600 });
    expect(resumed.body.status).not.toBe('completed');
    expect(JSON.stringify(resumed.body)).toMatch(/expire/i);
  });
});
