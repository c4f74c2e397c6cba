import { MCPConnector } from '@agent-tool-protocol/mcp-adapter';
import {
  type APIGroup,
  ErrorCode,
  type FunctionCallContext,
  ToolCallError,
} from '@agent-tool-protocol/protocol';
import { testServerConfig } from './helpers';

const ctx: FunctionCallContext = { clientId: 'client-1', executionId: 'exec-1' };

function fn(group: APIGroup, name: string) {
  const found = group.functions.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no function ${name} in ${group.functions.map((f) => f.name).join(', ')}`);
  return found;
}

describe('a stdio MCP server (test fixture, paginated tools/list)', () => {
  let connector: MCPConnector;
  let group: APIGroup;

  beforeAll(async () => {
    connector = new MCPConnector({ callTimeoutMs: 5_000 });
    group = await connector.connectToMCPServer(testServerConfig('fixture', { PAGE_SIZE: '4' }));
  });

  afterAll(() => connector.close());

  it('lists every tool across pages as an mcp APIGroup', () => {
    expect(group.name).toBe('fixture');
    expect(group.type).toBe('mcp');
    expect(group.description).toBe('A test server.');
    expect(group.metadata).toEqual({
      transport: 'stdio',
      serverInfo: { name: 'adapter-test-server', version: '1.0.0' },
    });
    const names = group.functions.map((f) => f.name);
    expect(names).toHaveLength(21);
    expect(names).toEqual(
      expect.arrayContaining(['echo', 'read_file', 'read_file_2', 'ns_tool', 'delete_all']),
    );
    expect(new Set(names).size).toBe(names.length);
  });

  it('followed nextCursor through every page of tools/list', async () => {
    const stats = await fn(group, 'stats').handler({}, ctx);
    expect(stats).toEqual({ listRequests: 6, cursors: ['4', '8', '12', '16', '20'] });
  });

  it('keeps schemas, descriptions and metadata with the original names', () => {
    const echo = fn(group, 'echo');
    expect(echo.description).toBe('Echoes the message');
    expect(echo.inputSchema).toEqual({
      type: 'object',
      properties: { message: { type: 'string' } },
      required: ['message'],
    });
    expect(echo.metadata).toMatchObject({ operationType: 'read', originalName: 'echo' });
    expect(fn(group, 'read_file_2')).toMatchObject({
      description: 'Read a file',
      metadata: { originalName: 'read-file', operationType: 'write', title: 'Read a file' },
    });
    expect(fn(group, 'delete_all').metadata).toMatchObject({
      operationType: 'destructive',
      originalName: 'delete-all',
      annotations: { destructiveHint: true, readOnlyHint: false },
    });
    expect(fn(group, 'structured').outputSchema).toEqual({
      type: 'object',
      properties: { temperature: { type: 'number' } },
      required: ['temperature'],
    });
    expect(fn(group, 'echo').outputSchema).toBeUndefined();
  });

  it('calls aliased tools by their original MCP names', async () => {
    await expect(fn(group, 'read_file_2').handler({}, ctx)).resolves.toBe('dash');
    await expect(fn(group, 'read_file').handler({}, ctx)).resolves.toBe('underscore');
    await expect(fn(group, 'ns_tool').handler(undefined, ctx)).resolves.toBe('dotted');
  });

  it('maps every kind of result', async () => {
    const call = (name: string) => fn(group, name).handler({}, ctx);
    await expect(call('json_text')).resolves.toEqual({ a: 1, b: [1, 2] });
    await expect(call('plain_text')).resolves.toBe('hello world');
    await expect(call('number_text')).resolves.toBe('42');
    await expect(call('broken_json_text')).resolves.toBe('{not json');
    await expect(call('structured')).resolves.toEqual({ temperature: 21.5 });
    await expect(call('empty')).resolves.toBeNull();
    await expect(call('image')).resolves.toEqual({ type: 'image', mimeType: 'image/png', data: 'iVBORw0K' });
    await expect(call('mixed')).resolves.toEqual([
      'intro',
      { type: 'resource', uri: 'file:///a.txt', mimeType: 'text/plain', text: 'A' },
      { type: 'resource', uri: 'file:///b.bin', mimeType: 'application/octet-stream', data: 'AAEC' },
      {
        type: 'resource_link',
        uri: 'file:///c.md',
        name: 'c',
        mimeType: 'text/markdown',
        description: 'C file',
      },
    ]);
  });

  it('throws a ToolCallError with the tool text for an isError result', async () => {
    const error = await Promise.resolve(fn(group, 'fail').handler({}, ctx)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolCallError);
    expect(error).toMatchObject({
      code: ErrorCode.TOOL_ERROR,
      message: 'MCP tool fixture.fail failed: something broke: disk full',
    });
  });

  it('rejects non-object input with a validation error naming the function', async () => {
    await expect(Promise.resolve().then(() => fn(group, 'echo').handler('hi', ctx))).rejects.toMatchObject({
      code: ErrorCode.VALIDATION_ERROR,
      message: 'Invalid input for api.fixture.echo: expected an object of named arguments',
    });
  });

  it('runs calls concurrently with Promise.all and combines the results', async () => {
    const [a, b, slept, json] = await Promise.all([
      fn(group, 'echo').handler({ message: 'alpha' }, ctx),
      fn(group, 'echo').handler({ message: 'beta' }, ctx),
      fn(group, 'sleep').handler({ ms: 30 }, ctx),
      fn(group, 'json_text').handler({}, ctx),
    ]);
    const combined = { words: [a, b], slept, sum: (json as { b: number[] }).b.reduce((x, y) => x + y, 0) };
    expect(combined).toEqual({ words: ['alpha', 'beta'], slept: 'slept 30', sum: 3 });
    // `rendezvous` answers only when all three calls wait in the server at once (sequential calls would hang).
    const met = await Promise.all([1, 2, 3].map(() => fn(group, 'rendezvous').handler({ count: 3 }, ctx)));
    expect(met).toEqual(['met', 'met', 'met']);
  });

  it('fails a call the server never answers with a TIMEOUT after the call timeout', async () => {
    const timeoutConnector = new MCPConnector({ callTimeoutMs: 300 });
    try {
      const hanging = await timeoutConnector.connectToMCPServer(testServerConfig('hanging'));
      const error = await Promise.resolve(fn(hanging, 'hang').handler({}, ctx)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ToolCallError);
      expect(error).toMatchObject({
        code: ErrorCode.TIMEOUT,
        retryable: true,
        message: 'MCP tool hanging.hang did not answer within 300 ms',
      });
      // The connection is still usable afterwards.
      await expect(fn(hanging, 'echo').handler({ message: 'still here' }, ctx)).resolves.toBe('still here');
    } finally {
      await timeoutConnector.close();
    }
  });

  it('cancels a call when the execution signal aborts', async () => {
    const controller = new AbortController();
    const pending = fn(group, 'hang').handler({}, { ...ctx, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: ErrorCode.CANCELLED });
  });

  it('re-lists tools on notifications/tools/list_changed and emits the new group', async () => {
    const changed = new Promise<APIGroup>((resolve) => connector.onToolsChanged(resolve));
    await expect(fn(group, 'add_tool').handler({ name: 'brand-new' }, ctx)).resolves.toBe('added');
    const refreshed = await changed;
    expect(refreshed.name).toBe('fixture');
    expect(refreshed.functions).toHaveLength(22);
    const added = fn(refreshed, 'brand_new');
    expect(added.metadata?.originalName).toBe('brand-new');
    await expect(added.handler({}, ctx)).resolves.toBe('I am brand-new');
    expect(connector.getGroup('fixture')).toBe(refreshed);
    expect(connector.status()).toEqual([
      expect.objectContaining({ name: 'fixture', state: 'ready', transport: 'stdio', toolCount: 22 }),
    ]);
  });
});

describe('a stdio MCP server that leaks the secrets of its config', () => {
  const TOKEN = 'ghp_fixtureToken0123456789abcdef';
  const logs: unknown[] = [];
  const record = (object: unknown) => void logs.push(object);
  const logger = { debug: record, info: record, warn: record, error: record };
  let connector: MCPConnector;
  let group: APIGroup;

  beforeAll(async () => {
    connector = new MCPConnector({ callTimeoutMs: 5_000, logger });
    group = await connector.connectToMCPServer(
      testServerConfig('leaky', { ECHO_ENV: 'GITHUB_TOKEN', GITHUB_TOKEN: TOKEN }),
    );
  });
  afterAll(() => connector.close());

  it('hands agent code [REDACTED] in results and errors, and logs its stderr without the secret', async () => {
    expect(await fn(group, 'leak_env').handler({}, ctx)).toEqual({
      GITHUB_TOKEN: '[REDACTED]',
      b64: '[REDACTED]',
    });
    const error = await Promise.resolve(fn(group, 'leak_env_error').handler({}, ctx)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ToolCallError);
    expect((error as ToolCallError).message).toBe(
      'MCP tool leaky.leak_env_error failed: bad credential [REDACTED]',
    );
    expect(JSON.stringify((error as ToolCallError).details)).not.toContain(TOKEN);
    expect(JSON.stringify(logs)).toContain('starting with GITHUB_TOKEN=[REDACTED]');
    expect(JSON.stringify(logs)).not.toContain(TOKEN);
  });

  it('leaves the secret out of the startup error that quotes its stderr', async () => {
    const other = new MCPConnector({ connectTimeoutMs: 5_000 });
    try {
      const error = await other
        .connectToMCPServer(
          testServerConfig('leaky_start', {
            ECHO_ENV: 'GITHUB_TOKEN',
            GITHUB_TOKEN: TOKEN,
            EXIT_AFTER_ECHO: '1',
          }),
        )
        .catch((e: unknown) => e as Error);
      expect((error as Error).message).toContain('starting with GITHUB_TOKEN=[REDACTED]');
      expect(
        JSON.stringify({ message: (error as Error).message, stack: (error as Error).stack }),
      ).not.toContain(TOKEN);
    } finally {
      await other.close();
    }
  });
});
