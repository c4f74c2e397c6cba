/**
 * Scale-out, proven with real processes: two server instances (A and B) running the BUILT packages,
 * sharing one real redis-server (AOF, appendfsync always) and one JWT secret. Build first:
 *   pnpm turbo run build --filter=@agent-tool-protocol/server... --filter=@agent-tool-protocol/providers
 * Side effects are lines appended to a file by the `effects.record` handler, so "exactly once" is
 * checked outside both servers and outside Redis.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisServerProcess } from '@agent-tool-protocol/testing';
import { InstanceProcess } from './scaleout/instance-process';

jest.setTimeout(120_000);

const SECRET = 'scale-out-shared-secret-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'atp-scaleout-'));
const effectsFile = join(dir, 'effects.jsonl');
let redis: RedisServerProcess;
let a: InstanceProcess;
let b: InstanceProcess;

interface Client {
  clientId: string;
  headers: Record<string, string>;
}

async function call(
  instance: InstanceProcess,
  method: string,
  path: string,
  options: { body?: unknown; client?: Client } = {},
): Promise<{ status: number; json: any; headers: Headers }> {
  const response = await fetch(`${instance.url}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.client?.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined, headers: response.headers };
}

async function init(instance: InstanceProcess): Promise<Client> {
  const response = await call(instance, 'POST', '/api/init', {
    body: { clientInfo: { name: 'scaleout-test' }, services: { hasLLM: true } },
  });
  expect(response.status).toBe(200);
  const { clientId, token } = response.json as { clientId: string; token: string };
  return { clientId, headers: { authorization: `Bearer ${token}`, 'x-client-id': clientId } };
}

/** Side effects per key, as recorded by the handler in every process. */
function effects(executionId: string): Record<string, number> {
  if (!existsSync(effectsFile)) return {};
  const counts: Record<string, number> = {};
  for (const line of readFileSync(effectsFile, 'utf8').split('\n')) {
    if (!line) continue;
    const effect = JSON.parse(line) as { key: string; executionId: string };
    if (effect.executionId === executionId) counts[effect.key] = (counts[effect.key] ?? 0) + 1;
  }
  return counts;
}

function effectInstances(executionId: string): Record<string, string> {
  const where: Record<string, string> = {};
  for (const line of readFileSync(effectsFile, 'utf8').split('\n')) {
    if (!line) continue;
    const effect = JSON.parse(line) as { key: string; executionId: string; instance: string };
    if (effect.executionId === executionId) where[effect.key] = effect.instance;
  }
  return where;
}

const THREE_STEPS = `
  const first = await api.effects.record({ key: 'one' });
  const answer1 = await atp.llm.call('first question');
  const second = await api.effects.record({ key: 'two' });
  const answer2 = await atp.llm.call('second question');
  const third = await api.effects.record({ key: 'three' });
  return { ran: [first.instance, second.instance, third.instance], answers: [answer1, answer2] };
`;

async function startInstance(name: string): Promise<InstanceProcess> {
  return InstanceProcess.start(name, {
    REDIS_URL: redis.url,
    ATP_JWT_SECRET: SECRET,
    EFFECTS_FILE: effectsFile,
  });
}

async function waitUntilReady(instance: InstanceProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await call(instance, 'GET', '/ready');
    if (response.status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`${instance.name} never became ready: ${JSON.stringify(response.json)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  const built = join(__dirname, '..', 'dist', 'index.js');
  if (!existsSync(built) || !existsSync(join(__dirname, '..', '..', 'providers', 'dist', 'index.js'))) {
    throw new Error(
      'The scale-out tests run the BUILT packages: pnpm turbo run build --filter=@agent-tool-protocol/server... --filter=@agent-tool-protocol/providers',
    );
  }
  writeFileSync(effectsFile, '');
  redis = await RedisServerProcess.start({ persistDir: dir });
  [a, b] = await Promise.all([startInstance('A'), startInstance('B')]);
});

afterAll(async () => {
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('two server processes sharing one Redis', () => {
  it('init on A; tokens are valid on both; pause on A, resume on B (durable replay), finish on A', async () => {
    const client = await init(a);
    // The token from A works on B: shared secret, and the session lives in Redis.
    expect((await call(b, 'GET', '/api/definitions', { client })).status).toBe(200);
    expect((await call(b, 'POST', '/api/token', { client })).status).toBe(200);

    const started = await call(a, 'POST', '/api/execute', { client, body: { code: THREE_STEPS } });
    expect(started.status).toBe(200);
    expect(started.json).toMatchObject({
      status: 'paused',
      needsCallback: { type: 'llm', operation: 'call' },
    });
    const { executionId } = started.json as { executionId: string };
    expect(effects(executionId)).toEqual({ one: 1 });

    // B has no hot isolate: it re-runs the code and answers `one` from the journal.
    const onB = await call(b, 'POST', `/api/resume/${executionId}`, {
      client,
      body: { result: 'answer one' },
    });
    expect(onB.status).toBe(200);
    expect(onB.json).toMatchObject({
      status: 'paused',
      needsCallback: { payload: { prompt: 'second question' } },
    });
    expect(effects(executionId)).toEqual({ one: 1, two: 1 });

    // Back on A: its hot isolate is from an older pause, so A replays too.
    const done = await call(a, 'POST', `/api/resume/${executionId}`, {
      client,
      body: { result: 'answer two' },
    });
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({
      status: 'completed',
      result: { ran: ['A', 'B', 'A'], answers: ['answer one', 'answer two'] },
    });
    expect(effects(executionId)).toEqual({ one: 1, two: 1, three: 1 });
    expect(effectInstances(executionId)).toEqual({ one: 'A', two: 'B', three: 'A' });

    // A late resume anywhere is a clear 409, never a second run.
    const late = await call(b, 'POST', `/api/resume/${executionId}`, { client, body: { result: 'again' } });
    expect(late.status).toBe(409);
    expect(late.json.code).toBe('EXECUTION_NOT_PAUSED');
    expect(effects(executionId)).toEqual({ one: 1, two: 1, three: 1 });
  });

  it('another client cannot see or resume the execution on either instance', async () => {
    const owner = await init(a);
    const stranger = await init(b);
    const started = await call(a, 'POST', '/api/execute', { client: owner, body: { code: THREE_STEPS } });
    const { executionId } = started.json as { executionId: string };
    for (const instance of [a, b]) {
      const response = await call(instance, 'POST', `/api/resume/${executionId}`, {
        client: stranger,
        body: { result: 'x' },
      });
      expect(response.status).toBe(404);
      expect(response.json.code).toBe('EXECUTION_NOT_FOUND');
    }
    expect(effects(executionId)).toEqual({ one: 1 });
    expect((await call(a, 'POST', `/api/cancel/${executionId}`, { client: owner })).status).toBe(200);
  });

  it('two concurrent resumes across A and B: exactly one wins, the other gets 409', async () => {
    const client = await init(a);
    const code = `
      const answer = await atp.llm.call('go?');
      const done = await api.effects.record({ key: 'slow', delayMs: 1500 });
      return { answer, by: done.instance };
    `;
    const started = await call(a, 'POST', '/api/execute', { client, body: { code } });
    expect(started.json.status).toBe('paused');
    const { executionId } = started.json as { executionId: string };
    const responses = await Promise.all(
      [a, b].map((instance) =>
        call(instance, 'POST', `/api/resume/${executionId}`, {
          client,
          body: { result: `from ${instance.name}` },
        }),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 409]);
    const winner = responses.find((response) => response.status === 200)!;
    const loser = responses.find((response) => response.status === 409)!;
    expect(winner.json.status).toBe('completed');
    expect(['RESUME_IN_PROGRESS', 'EXECUTION_NOT_PAUSED']).toContain(loser.json.code);
    expect(loser.json.error).toMatch(executionId);
    expect(effects(executionId)).toEqual({ slow: 1 });
  });

  it('A is SIGKILLed while an execution is paused on it; B resumes it to completion', async () => {
    const client = await init(a);
    const started = await call(a, 'POST', '/api/execute', { client, body: { code: THREE_STEPS } });
    expect(started.json.status).toBe('paused');
    const { executionId } = started.json as { executionId: string };
    await a.kill();

    const second = await call(b, 'POST', `/api/resume/${executionId}`, { client, body: { result: 'r1' } });
    expect(second.json).toMatchObject({ status: 'paused' });
    const done = await call(b, 'POST', `/api/resume/${executionId}`, { client, body: { result: 'r2' } });
    expect(done.json).toMatchObject({
      status: 'completed',
      result: { ran: ['A', 'B', 'B'], answers: ['r1', 'r2'] },
    });
    expect(effects(executionId)).toEqual({ one: 1, two: 1, three: 1 });

    a = await startInstance('A');
    // The restarted A knows the client (token and session are shared), with no local state at all.
    expect((await call(a, 'GET', '/api/definitions', { client })).status).toBe(200);
  });

  it('Redis restarted mid-run: clear 503s while it is down, recovery after, no paused execution lost', async () => {
    const client = await init(a);
    const started = await call(a, 'POST', '/api/execute', { client, body: { code: THREE_STEPS } });
    expect(started.json.status).toBe('paused');
    const { executionId } = started.json as { executionId: string };

    await redis.stop();

    // What users see while Redis is down: 503 PROVIDER_ERROR (retryable) naming Redis.
    const resume = await call(b, 'POST', `/api/resume/${executionId}`, { client, body: { result: 'r1' } });
    expect(resume.status).toBe(503);
    expect(resume.json.code).toBe('PROVIDER_ERROR');
    expect(resume.headers.get('retry-after')).toBe('1');
    expect(resume.json.error).toMatch(/Redis at 127\.0\.0\.1:\d+ is unavailable/);
    const newClient = await call(a, 'POST', '/api/init', { body: {} });
    expect(newClient.status).toBe(503);
    expect(newClient.json.code).toBe('PROVIDER_ERROR');
    const readiness = await call(b, 'GET', '/ready');
    expect(readiness.status).toBe(503);
    expect(readiness.json.checks.cache).toBe(false);
    expect((await call(b, 'GET', '/health')).status).toBe(200);
    expect(effects(executionId)).toEqual({ one: 1 });
    // A client A already knows may still start an execution, but nothing with a side effect runs
    // while the execution cannot be recorded: the tool call is refused before its handler runs
    // (the server's beforeToolCall hook reads Redis and fails closed), with a message naming Redis.
    const blind = await call(a, 'POST', '/api/execute', { client, body: { code: THREE_STEPS } });
    expect(blind.status).toBe(200);
    expect(blind.json.status).toBe('security_violation');
    expect(blind.json.error.message).toMatch(
      /beforeToolCall hook failed: Redis at 127\.0\.0\.1:\d+ is unavailable/,
    );
    expect(effects(blind.json.executionId)).toEqual({});

    // Redis comes back (same port, AOF reloaded); both instances reconnect by themselves.
    await redis.start();
    await Promise.all([waitUntilReady(a), waitUntilReady(b)]);

    const second = await call(b, 'POST', `/api/resume/${executionId}`, { client, body: { result: 'r1' } });
    expect(second.status).toBe(200);
    expect(second.json.status).toBe('paused');
    const done = await call(a, 'POST', `/api/resume/${executionId}`, { client, body: { result: 'r2' } });
    expect(done.json).toMatchObject({ status: 'completed', result: { answers: ['r1', 'r2'] } });
    expect(effects(executionId)).toEqual({ one: 1, two: 1, three: 1 });
    // Clients created before the outage still work on both instances.
    expect((await call(b, 'GET', '/api/definitions', { client })).status).toBe(200);
  });

  it('Redis restarted while an execution is running: it pauses once Redis is back and resumes elsewhere', async () => {
    const client = await init(a);
    const code = `
      const first = await api.effects.record({ key: 'during-outage', delayMs: 4000 });
      const answer = await atp.llm.call('continue?');
      const second = await api.effects.record({ key: 'after' });
      return { first: first.instance, second: second.instance, answer };
    `;
    const running = call(a, 'POST', '/api/execute', { client, body: { code } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await redis.start();
    await waitUntilReady(a);

    const paused = await running;
    expect(paused.json).toMatchObject({
      status: 'paused',
      needsCallback: { payload: { prompt: 'continue?' } },
    });
    const { executionId } = paused.json as { executionId: string };
    await waitUntilReady(b);
    const done = await call(b, 'POST', `/api/resume/${executionId}`, { client, body: { result: 'yes' } });
    expect(done.json).toMatchObject({
      status: 'completed',
      result: { first: 'A', second: 'B', answer: 'yes' },
    });
    expect(effects(executionId)).toEqual({ 'during-outage': 1, after: 1 });
  });
});
