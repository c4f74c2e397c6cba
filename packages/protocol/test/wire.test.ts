import {
  ExecuteRequestSchema,
  ExecutionResultSchema,
  ExploreRequestSchema,
  ExploreResponseSchema,
  InitRequestSchema,
  InitResponseSchema,
  parseOrThrow,
  ResumeRequestSchema,
  SearchRequestSchema,
  ValidationError,
} from '@agent-tool-protocol/protocol';

function failureMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as Error).message;
  }
  throw new Error('expected a ValidationError');
}

describe('request schemas', () => {
  it('parses a full init request and defaults missing services to false', () => {
    const parsed = InitRequestSchema.parse({
      clientInfo: { name: 'agent' },
      tools: [{ name: 'lookup', inputSchema: { type: 'object' } }],
      services: { hasLLM: true },
    });
    expect(parsed.services).toEqual({
      hasLLM: true,
      hasApproval: false,
      hasEmbedding: false,
      hasTools: false,
    });
    expect(parsed.tools?.[0]?.name).toBe('lookup');
  });

  it('accepts an empty init body', () => {
    expect(InitRequestSchema.parse({})).toEqual({});
  });

  it('names the bad field of an execute request', () => {
    expect(failureMessage(() => parseOrThrow(ExecuteRequestSchema, { code: 42 }, 'request body'))).toMatch(
      /^Invalid request body: code: .*string/,
    );
    expect(
      failureMessage(() =>
        parseOrThrow(ExecuteRequestSchema, { code: 'return 1', config: { timeout: -5 } }, 'request body'),
      ),
    ).toContain('config.timeout');
  });

  it('keeps unknown fields so newer peers can add them', () => {
    const parsed = ExecuteRequestSchema.parse({
      code: 'return 1',
      config: { timeout: 10, future: true },
      extra: 1,
    });
    expect(parsed).toMatchObject({ extra: 1, config: { future: true } });
  });

  it('rejects an empty search query and a bad maxResults with field names', () => {
    const message = failureMessage(() =>
      parseOrThrow(SearchRequestSchema, { query: '', maxResults: 0 }, 'body'),
    );
    expect(message).toContain('query');
    expect(message).toContain('maxResults');
  });

  it('requires explore paths to start with a slash', () => {
    expect(ExploreRequestSchema.safeParse({ path: '/custom/users' }).success).toBe(true);
    expect(failureMessage(() => parseOrThrow(ExploreRequestSchema, { path: 'custom' }, 'body'))).toContain(
      'path: must start with "/"',
    );
  });

  it('accepts both resume forms and rejects a body with neither', () => {
    expect(ResumeRequestSchema.safeParse({ result: 'hello' }).success).toBe(true);
    expect(ResumeRequestSchema.safeParse({ result: null }).success).toBe(true);
    expect(ResumeRequestSchema.safeParse({ results: [{ id: 'cb_1', result: 1 }] }).success).toBe(true);
    expect(ResumeRequestSchema.safeParse({}).success).toBe(false);
    expect(ResumeRequestSchema.safeParse({ results: [{ result: 1 }] }).success).toBe(false);
  });
});

describe('response schemas', () => {
  it('parses an init response', () => {
    expect(
      InitResponseSchema.parse({ clientId: 'c1', token: 't', expiresAt: 2, tokenRotateAt: 1 }).clientId,
    ).toBe('c1');
  });

  it('parses a paused result with several callbacks', () => {
    const result = ExecutionResultSchema.parse({
      executionId: 'e1',
      status: 'paused',
      stats: { duration: 3, llmCallsCount: 2, approvalCallsCount: 0 },
      needsCallbacks: [
        { id: 'cb_1', type: 'llm', operation: 'call', payload: { prompt: 'a' } },
        { id: 'cb_2', type: 'llm', operation: 'call', payload: { prompt: 'b' } },
      ],
    });
    expect(result.needsCallbacks).toHaveLength(2);
  });

  it('rejects an unknown status and an unknown callback type', () => {
    const stats = { duration: 1, llmCallsCount: 0, approvalCallsCount: 0 };
    expect(ExecutionResultSchema.safeParse({ executionId: 'e', status: 'exploded', stats }).success).toBe(
      false,
    );
    const bad = ExecutionResultSchema.safeParse({
      executionId: 'e',
      status: 'paused',
      stats,
      needsCallback: { type: 'telepathy', operation: 'call', payload: {} },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['needsCallback', 'type']);
  });

  it('parses both explore shapes', () => {
    expect(
      ExploreResponseSchema.parse({
        type: 'directory',
        path: '/',
        items: [{ name: 'custom', type: 'directory' }],
      }).type,
    ).toBe('directory');
    expect(
      ExploreResponseSchema.parse({
        type: 'function',
        path: '/custom/users/get',
        name: 'get',
        description: 'Get a user',
        definition: 'get(input: {id: string}): Promise<User>',
        group: 'users',
      }).type,
    ).toBe('function');
  });
});
