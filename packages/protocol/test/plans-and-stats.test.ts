import {
  type AuditEvent,
  childLogger,
  ExecutionStatsSchema,
  PlanRecordSchema,
  PlanRequestConfigSchema,
  PlanResultSchema,
  silentLogger,
} from '../src/index';

describe('ExecutionStats', () => {
  it('declares every field the server sends and drops undeclared ones', () => {
    const stats = ExecutionStatsSchema.parse({
      duration: 1.5,
      memoryUsed: 1024,
      llmCallsCount: 1,
      approvalCallsCount: 0,
      toolCallsCount: 2,
      hostCallsCount: 3,
      inputTokens: 10,
      outputTokens: 2,
      bytesReturned: 120,
      somethingElse: true,
    });
    expect(stats).toEqual({
      duration: 1.5,
      memoryUsed: 1024,
      llmCallsCount: 1,
      approvalCallsCount: 0,
      toolCallsCount: 2,
      hostCallsCount: 3,
      inputTokens: 10,
      outputTokens: 2,
      bytesReturned: 120,
    });
  });

  it('names a field of the wrong type', () => {
    const parsed = ExecutionStatsSchema.safeParse({
      duration: 1,
      llmCallsCount: 0,
      approvalCallsCount: 0,
      inputTokens: '3',
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['inputTokens']);
  });
});

describe('plan wire schemas', () => {
  const effect = {
    path: 'api.tickets.close',
    input: { id: 7 },
    operationType: 'write',
    reason: 'write operation',
  };

  it('parses a plan result: an execution result plus planId and effects', () => {
    const result = PlanResultSchema.parse({
      executionId: 'e1',
      status: 'completed',
      stats: { duration: 1, llmCallsCount: 0, approvalCallsCount: 0 },
      planId: 'plan_1',
      effects: [effect],
    });
    expect(result.effects[0]?.path).toBe('api.tickets.close');
  });

  it('rejects a plan record with an unknown status or operation type', () => {
    const record = {
      planId: 'p',
      clientId: 'c',
      executionId: 'e',
      effects: [effect],
      createdAt: 1,
      expiresAt: 2,
    };
    expect(PlanRecordSchema.safeParse({ ...record, status: 'ready' }).success).toBe(true);
    expect(PlanRecordSchema.safeParse({ ...record, status: 'maybe' }).success).toBe(false);
    const bad = PlanRecordSchema.safeParse({
      ...record,
      status: 'ready',
      effects: [{ ...effect, operationType: 'delete' }],
    });
    expect(bad.error?.issues[0]?.path).toEqual(['effects', 0, 'operationType']);
  });

  it('accepts stubs and a type-check mode in a plan request config, with the execution limits', () => {
    const config = PlanRequestConfigSchema.parse({
      timeout: 1000,
      typecheck: 'enforce',
      stubs: { 'tickets.close': {} },
    });
    expect(config.typecheck).toBe('enforce');
    expect(PlanRequestConfigSchema.safeParse({ typecheck: 'sometimes' }).success).toBe(false);
    expect(PlanRequestConfigSchema.safeParse({ timeout: -1 }).success).toBe(false);
  });
});

describe('AuditEvent', () => {
  it('is a union discriminated by type', () => {
    const describe = (event: AuditEvent): string => {
      switch (event.type) {
        case 'tool_call':
          return `${event.path} ${event.status}`;
        case 'execution_complete':
        case 'execution_fail':
          return `${event.status} ${event.inputTokens ?? 0}`;
        default:
          return event.type;
      }
    };
    expect(
      describe({
        type: 'tool_call',
        timestamp: 1,
        executionId: 'e',
        clientId: 'c',
        path: 'api.a.b',
        status: 'ok',
        durationMs: 2,
        replayed: false,
      }),
    ).toBe('api.a.b ok');
    expect(describe({ type: 'oauth_authorized', timestamp: 1, provider: 'github' })).toBe('oauth_authorized');
  });
});

describe('silentLogger', () => {
  it('drops everything and is its own child', () => {
    expect(() => silentLogger.warn({ a: 1 }, 'ignored')).not.toThrow();
    expect(childLogger(silentLogger, { component: 'x' })).toBe(silentLogger);
  });

  it('childLogger keeps a logger without children as it is', () => {
    const lines: string[] = [];
    const plain = {
      debug: () => undefined,
      info: (_fields: object, message?: string) => lines.push(message ?? ''),
      warn: () => undefined,
      error: () => undefined,
    };
    const child = childLogger(plain, { component: 'x' });
    child.info({}, 'hello');
    expect(child).toBe(plain);
    expect(lines).toEqual(['hello']);
  });
});
