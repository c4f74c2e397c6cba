import type { ToolCallContext, ToolCallDecision } from '@agent-tool-protocol/protocol';
import type { ExecutionEvent } from '../src/index.js';
import { ALL_SERVICES, CLIENT, executors, group } from './helpers';

const make = executors();

function setup(decide: (ctx: ToolCallContext) => ToolCallDecision | Promise<ToolCallDecision>, extra = {}) {
  const calls: string[] = [];
  const seen: ToolCallContext[] = [];
  const after: [string, unknown][] = [];
  const events: ExecutionEvent[] = [];
  const api = group('files', {
    read: ({ path }) => {
      calls.push(`read ${path}`);
      return `content of ${path}`;
    },
    remove: ({ path }) => {
      calls.push(`remove ${path}`);
      return { removed: path };
    },
  });
  api.functions[1]!.metadata = { operationType: 'destructive' };
  const executor = make([api], {
    hooks: {
      beforeToolCall: (ctx) => {
        seen.push(ctx);
        return decide(ctx);
      },
      afterToolCall: (ctx, result) => {
        after.push([ctx.path, result]);
      },
    },
    onEvent: (event) => events.push(event),
    ...extra,
  });
  return { executor, calls, seen, after, events };
}

const destructiveNeedsApproval = (ctx: ToolCallContext): ToolCallDecision =>
  ctx.metadata.operationType === 'destructive'
    ? {
        action: 'approve',
        message: `Allow ${ctx.path}?`,
        context: { input: ctx.input },
        policy: 'destructive',
      }
    : { action: 'allow' };

describe('execution hooks', () => {
  it('beforeToolCall sees the call context; allow runs it; afterToolCall sees the result', async () => {
    const { executor, seen, after, calls } = setup(() => ({ action: 'allow' }));
    const result = await executor.execute('return await api.files.read({ path: "/a" });', {
      ...CLIENT,
      services: { hasLLM: true },
    });
    expect(result.result).toBe('content of /a');
    expect(calls).toEqual(['read /a']);
    expect(seen[0]).toMatchObject({
      executionId: result.executionId,
      clientId: 'client-1',
      path: 'api.files.read',
      group: 'files',
      name: 'read',
      input: { path: '/a' },
      metadata: {},
      services: { hasLLM: true, hasApproval: false, hasEmbedding: false, hasTools: false },
    });
    expect(after).toEqual([['api.files.read', 'content of /a']]);
  });

  it('block ends the execution with security_violation naming the reason, policy and tool; the handler never runs', async () => {
    const { executor, calls, events } = setup((ctx) =>
      ctx.name === 'remove'
        ? { action: 'block', reason: 'data would leave the tenant', policy: 'noExfiltration' }
        : { action: 'allow' },
    );
    const result = await executor.execute(
      'await api.files.read({ path: "/a" }); try { await api.files.remove({ path: "/a" }); } catch (e) { return "caught"; }',
      CLIENT,
    );
    expect(result.status).toBe('security_violation');
    expect(result.error?.code).toBe('SECURITY_VIOLATION');
    expect(result.error?.message).toContain('api.files.remove');
    expect(result.error?.message).toContain('data would leave the tenant');
    expect(result.error?.message).toContain('noExfiltration');
    expect(calls).toEqual(['read /a']);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'policy_violation',
        path: 'api.files.remove',
        policy: 'noExfiltration',
      }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'tool_call', path: 'api.files.remove', status: 'blocked' }),
    );
  });

  it('a throwing beforeToolCall fails closed', async () => {
    const { executor, calls } = setup(() => {
      throw new Error('policy engine down');
    });
    const result = await executor.execute('return await api.files.read({ path: "/a" });', CLIENT);
    expect(result.status).toBe('security_violation');
    expect(result.error?.message).toContain('policy engine down');
    expect(calls).toEqual([]);
  });

  it('approve asks the client (approval/request) when it has an approver; approved runs the call', async () => {
    const { executor, calls, events } = setup(destructiveNeedsApproval);
    const paused = await executor.execute('return await api.files.remove({ path: "/x" });', {
      ...CLIENT,
      services: ALL_SERVICES,
    });
    expect(paused.status).toBe('paused');
    expect(paused.needsCallback).toEqual({
      type: 'approval',
      operation: 'request',
      payload: {
        message: 'Allow api.files.remove?',
        context: { input: { path: '/x' } },
        executionId: paused.executionId,
      },
    });
    expect(calls).toEqual([]);
    const done = await executor.resume(paused.executionId, [{ id: '', result: { approved: true } }], CLIENT);
    expect(done).toMatchObject({ status: 'completed', result: { removed: '/x' } });
    expect(done.stats.approvalCallsCount).toBe(1);
    expect(calls).toEqual(['remove /x']);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'approval_requested', via: 'client', policy: 'destructive' }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'approval_decided', approved: true, via: 'client' }),
    );
  });

  it('a denied approval throws APPROVAL_DENIED inside the sandbox (catchable) and the call never runs', async () => {
    const { executor, calls } = setup(destructiveNeedsApproval);
    const paused = await executor.execute(
      'try { await api.files.remove({ path: "/x" }); } catch (e) { return { code: e.code, message: e.message }; }',
      { ...CLIENT, services: ALL_SERVICES },
    );
    const done = await executor.resume(
      paused.executionId,
      [{ id: '', result: { approved: false, reason: 'not today' } }],
      CLIENT,
    );
    expect(done.result).toEqual({
      code: 'APPROVAL_DENIED',
      message: 'Approval for api.files.remove was denied: not today',
    });
    expect(calls).toEqual([]);
  });

  it('approve uses the server onApproval when the client has no approver', async () => {
    const requests: unknown[] = [];
    const { executor, calls } = setup(destructiveNeedsApproval, {
      onApproval: async (request: unknown) => {
        requests.push(request);
        return { approved: true };
      },
    });
    const result = await executor.execute('return await api.files.remove({ path: "/y" });', CLIENT);
    expect(result).toMatchObject({ status: 'completed', result: { removed: '/y' } });
    expect(requests).toEqual([
      {
        message: 'Allow api.files.remove?',
        context: { input: { path: '/y' } },
        executionId: result.executionId,
        clientId: 'client-1',
      },
    ]);
    expect(calls).toEqual(['remove /y']);
  });

  it('approve with neither a client nor a server approver is blocked (fail closed)', async () => {
    const { executor, calls } = setup(destructiveNeedsApproval);
    const result = await executor.execute('return await api.files.remove({ path: "/z" });', CLIENT);
    expect(result).toMatchObject({ status: 'security_violation', error: { code: 'SECURITY_VIOLATION' } });
    expect(result.error?.message).toContain('requires approval');
    expect(calls).toEqual([]);
  });

  it('hooks apply to client tools too', async () => {
    const { executor, seen } = setup((ctx) =>
      ctx.path === 'client.shell' ? { action: 'block', reason: 'no shell' } : { action: 'allow' },
    );
    const result = await executor.execute('return await api.client.shell({ cmd: "rm -rf /" });', {
      ...CLIENT,
      services: ALL_SERVICES,
      clientTools: [{ name: 'shell', metadata: { operationType: 'destructive' } }],
    });
    expect(result.status).toBe('security_violation');
    expect(seen[0]).toMatchObject({
      path: 'client.shell',
      group: 'client',
      name: 'shell',
      metadata: { operationType: 'destructive' },
    });
  });

  it('afterToolCall sees client tool results; throwing in it ends the execution (fail closed)', async () => {
    const { executor, after } = setup(() => ({ action: 'allow' }));
    const paused = await executor.execute('return await api.client.pick({});', {
      ...CLIENT,
      services: ALL_SERVICES,
      clientTools: [{ name: 'pick' }],
    });
    const done = await executor.resume(paused.executionId, [{ id: '', result: 'picked' }], CLIENT);
    expect(done.result).toBe('picked');
    expect(after).toEqual([['client.pick', 'picked']]);

    const strict = make([group('g', { secret: () => 'top secret' })], {
      hooks: {
        afterToolCall: () => {
          throw new Error('result carries a secret label');
        },
      },
    });
    const blocked = await strict.execute('return await api.g.secret();', CLIENT);
    expect(blocked.status).toBe('security_violation');
    expect(blocked.error?.message).toContain('secret label');
  });

  it('transformCode receives the type-stripped code and its output runs', async () => {
    const received: string[] = [];
    const executor = make([], {
      hooks: {
        transformCode: (code, ctx) => {
          received.push(`${ctx.clientId}:${code}`);
          return code.replace('__MARK__', '"transformed"');
        },
      },
    });
    const result = await executor.execute('const x: string = __MARK__;\nreturn x;', CLIENT);
    expect(result.result).toBe('transformed');
    expect(received[0]).toMatch(/^client-1:const x {9}= __MARK__;/);
    const rejecting = make([], {
      hooks: { transformCode: () => Promise.reject(new Error('eval is not allowed')) },
    });
    const refused = await rejecting.execute('return 1', CLIENT);
    expect(refused).toMatchObject({ status: 'security_violation', error: { code: 'SECURITY_VIOLATION' } });
  });
});
