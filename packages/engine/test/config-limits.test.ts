import { createEngine } from '@agent-tool-protocol/engine';

const SECRET = 'engine-test-secret-0123456789';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `code`, answering every LLM callback with 'a', until it ends. */
async function runWithLLM(engine: ReturnType<typeof createEngine>, clientId: string, body: object) {
  let result = await engine.execute(clientId, body);
  while (result.status === 'paused') {
    const results = (result.needsCallbacks ?? []).map((callback) => ({ id: callback.id, result: 'a' }));
    result = await engine.resume(clientId, result.executionId, { results });
  }
  return result;
}

describe('execution limits in the config are what every execution gets', () => {
  const engine = createEngine({
    auth: { jwtSecret: SECRET },
    execution: { isolatePoolSize: 0, llmCalls: 150 },
  });
  afterAll(() => engine.shutdown(100));
  const code = (n: number) =>
    `return (await Promise.all(Array.from({ length: ${n} }, (_, i) => atp.llm.call('q' + i)))).length;`;

  it('llmCalls above the runtime default (100) applies without the request asking', async () => {
    const { clientId } = await engine.init({ services: { hasLLM: true } });
    expect(await runWithLLM(engine, clientId, { code: code(120) })).toMatchObject({
      status: 'completed',
      result: 120,
    });
    expect(await runWithLLM(engine, clientId, { code: code(151) })).toMatchObject({
      status: 'llm_calls_exceeded',
    });
  });

  it('a request may lower a limit, never raise it', async () => {
    const { clientId } = await engine.init({ services: { hasLLM: true } });
    const lowered = await runWithLLM(engine, clientId, { code: code(6), config: { maxLLMCalls: 5 } });
    expect(lowered).toMatchObject({ status: 'llm_calls_exceeded' });
    const raised = await runWithLLM(engine, clientId, { code: code(151), config: { maxLLMCalls: 1000 } });
    expect(raised).toMatchObject({ status: 'llm_calls_exceeded' });
  });
});

describe('executionState.ttl and maxPauseDuration each bound a pause', () => {
  it.each([
    ['ttl', { ttl: 1, maxPauseDuration: 3600 }],
    ['maxPauseDuration', { ttl: 3600, maxPauseDuration: 1 }],
  ])('%s: 1 s: a resume 2 s later finds the pause expired', async (_name, executionState) => {
    const engine = createEngine({
      auth: { jwtSecret: SECRET },
      execution: { isolatePoolSize: 0 },
      executionState,
    });
    try {
      const { clientId } = await engine.init({ services: { hasLLM: true } });
      const paused = await engine.execute(clientId, { code: "return await atp.llm.call('hi');" });
      expect(paused.status).toBe('paused');
      await sleep(2_100);
      await expect(engine.resume(clientId, paused.executionId, { result: 'late' })).rejects.toMatchObject({
        code: 'EXECUTION_NOT_FOUND',
        message: expect.stringMatching(/pause expired \(a pause lasts at most 1 s/),
      });
    } finally {
      await engine.shutdown(100);
    }
  });

  it('a resume within both bounds completes', async () => {
    const engine = createEngine({
      auth: { jwtSecret: SECRET },
      execution: { isolatePoolSize: 0 },
      executionState: { ttl: 5, maxPauseDuration: 5 },
    });
    try {
      const { clientId } = await engine.init({ services: { hasLLM: true } });
      const paused = await engine.execute(clientId, { code: "return await atp.llm.call('hi');" });
      await sleep(1_100);
      expect(await engine.resume(clientId, paused.executionId, { result: 'soon' })).toMatchObject({
        status: 'completed',
        result: 'soon',
      });
    } finally {
      await engine.shutdown(100);
    }
  });
});
