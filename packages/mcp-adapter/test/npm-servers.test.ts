import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MCPConnector } from '@agent-tool-protocol/mcp-adapter';
import {
  type APIGroup,
  ErrorCode,
  type FunctionCallContext,
  ToolCallError,
} from '@agent-tool-protocol/protocol';
import {
  everythingServer,
  filesystemServer,
  isAlive,
  type RunningHttpServer,
  startEverythingHttp,
} from './helpers';

const ctx: FunctionCallContext = { clientId: 'client-1', executionId: 'exec-1' };

function api(group: APIGroup): Record<string, (input?: unknown) => Promise<unknown>> {
  return Object.fromEntries(
    group.functions.map((f) => [f.name, (input: unknown = {}) => Promise.resolve(f.handler(input, ctx))]),
  );
}

/** The same checks against server-everything over any transport. */
async function exerciseEverything(group: APIGroup): Promise<void> {
  const names = group.functions.map((f) => f.name);
  expect(names).toEqual(
    expect.arrayContaining(['echo', 'get_sum', 'get_structured_content', 'get_tiny_image']),
  );
  const sum = group.functions.find((f) => f.name === 'get_sum')!;
  expect(sum.metadata).toMatchObject({
    originalName: 'get-sum',
    operationType: 'read',
    annotations: { readOnlyHint: true, destructiveHint: false },
  });
  expect(sum.inputSchema).toMatchObject({ type: 'object', properties: { a: { type: 'number' } } });
  expect(group.functions.find((f) => f.name === 'get_structured_content')!.outputSchema).toMatchObject({
    type: 'object',
    properties: { temperature: { type: 'number' } },
  });

  const tools = api(group);
  // Agent-style code: several tools at once, results joined.
  const [echoed, summed, weather, image] = await Promise.all([
    tools.echo!({ message: 'hi' }),
    tools.get_sum!({ a: 2, b: 40 }),
    tools.get_structured_content!({ location: 'Chicago' }),
    tools.get_tiny_image!(),
  ]);
  expect(echoed).toBe('Echo: hi');
  expect(summed).toBe('The sum of 2 and 40 is 42.');
  expect(weather).toEqual({ temperature: 36, conditions: 'Light rain / drizzle', humidity: 82 });
  expect(image).toEqual([
    "Here's the image you requested:",
    { type: 'image', mimeType: 'image/png', data: expect.stringMatching(/^iVBOR/) },
    'The image above is the MCP logo.',
  ]);
  const report = `${echoed} / ${summed} / ${(weather as { conditions: string }).conditions}`;
  expect(report).toBe('Echo: hi / The sum of 2 and 40 is 42. / Light rain / drizzle');

  // Invalid arguments come back from the SDK server as an isError result.
  const error = await tools.get_sum!({ a: 'two' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ToolCallError);
  expect(error).toMatchObject({ code: ErrorCode.TOOL_ERROR });
  expect((error as Error).message).toMatch(/^MCP tool everything\.get-sum failed: .*a/s);
}

describe('@modelcontextprotocol/server-everything', () => {
  it('over stdio', async () => {
    const connector = new MCPConnector();
    try {
      const group = await connector.connectToMCPServer({
        name: 'everything',
        command: process.execPath,
        args: [everythingServer, 'stdio'],
      });
      expect(group.metadata).toMatchObject({ transport: 'stdio', serverInfo: { name: expect.any(String) } });
      await exerciseEverything(group);
      const pid = connector.status()[0]!.pid!;
      await connector.close();
      expect(isAlive(pid)).toBe(false);
    } finally {
      await connector.close();
    }
  });

  describe('over HTTP', () => {
    let server: RunningHttpServer | undefined;
    afterEach(async () => {
      await server?.stop();
      server = undefined;
    });

    it('over Streamable HTTP', async () => {
      server = await startEverythingHttp('streamableHttp');
      const connector = new MCPConnector();
      try {
        const group = await connector.connectToMCPServer({
          name: 'everything',
          url: server.url,
          headers: { 'x-test': '1' },
        });
        expect(group.metadata).toMatchObject({ transport: 'streamable-http' });
        await exerciseEverything(group);
      } finally {
        await connector.close();
      }
    });

    it('starts a new session when a restarted HTTP server no longer knows the old one', async () => {
      server = await startEverythingHttp('streamableHttp');
      const connector = new MCPConnector({
        restart: { initialDelayMs: 10, maxDelayMs: 1_000, maxAttempts: 3 },
      });
      try {
        const group = await connector.connectToMCPServer({ name: 'everything', url: server.url });
        const tools = api(group);
        await expect(tools.echo!({ message: 'one' })).resolves.toBe('Echo: one');
        await server.stop();
        const down = await tools.echo!({ message: 'down' }).catch((e: unknown) => e);
        expect(down).toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE, retryable: true });
        server = await startEverythingHttp('streamableHttp', server.port);
        await expect(tools.echo!({ message: 'two' })).resolves.toBe('Echo: two');
        expect(connector.status()[0]).toMatchObject({
          state: 'ready',
          restarts: 1,
          transport: 'streamable-http',
        });
      } finally {
        await connector.close();
      }
    });

    it('falls back to SSE for a server without Streamable HTTP', async () => {
      server = await startEverythingHttp('sse');
      const connector = new MCPConnector();
      try {
        const group = await connector.connectToMCPServer({ name: 'everything', url: server.url });
        expect(group.metadata).toMatchObject({ transport: 'sse' });
        await exerciseEverything(group);
      } finally {
        await connector.close();
      }
    });

    it('reports an unreachable URL as SERVICE_UNAVAILABLE', async () => {
      const connector = new MCPConnector({ connectTimeoutMs: 2_000 });
      try {
        await expect(
          connector.connectToMCPServer({
            name: 'nowhere',
            url: 'http://127.0.0.1:9/mcp',
            transport: 'streamable-http',
          }),
        ).rejects.toMatchObject({
          code: ErrorCode.SERVICE_UNAVAILABLE,
          message: expect.stringMatching(
            /^Could not connect to MCP server "nowhere" \(url: http:\/\/127\.0\.0\.1:9\/mcp\)/,
          ),
        });
      } finally {
        await connector.close();
      }
    });
  });
});

describe('@modelcontextprotocol/server-filesystem on a temporary directory', () => {
  let dir: string;
  let connector: MCPConnector;
  let group: APIGroup;

  beforeAll(async () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'mcp-fs-')));
    writeFileSync(join(dir, 'a.txt'), 'alpha');
    writeFileSync(join(dir, 'b.json'), '{"n": 2}');
    connector = new MCPConnector();
    group = await connector.connectToMCPServer({
      name: 'fs',
      command: process.execPath,
      args: [filesystemServer, dir],
    });
  });

  afterAll(async () => {
    const pid = connector.status()[0]?.pid;
    await connector.close();
    if (pid !== undefined) expect(isAlive(pid)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('maps annotations of real tools', () => {
    const byName = Object.fromEntries(group.functions.map((f) => [f.name, f]));
    expect(byName.read_text_file?.metadata?.operationType).toBe('read');
    expect(byName.write_file?.metadata?.operationType).toBe('destructive');
    expect(byName.create_directory?.metadata?.operationType).toBe('write');
  });

  it('writes, lists and reads files with Promise.all, and joins the results', async () => {
    const fs = api(group);
    await fs.write_file!({ path: join(dir, 'c.txt'), content: 'gamma' });
    const [listing, a, b, c] = (await Promise.all([
      fs.list_directory!({ path: dir }),
      fs.read_text_file!({ path: join(dir, 'a.txt') }),
      fs.read_text_file!({ path: join(dir, 'b.json') }),
      fs.read_text_file!({ path: join(dir, 'c.txt') }),
    ])) as Array<{ content: string }>;
    const files = listing!.content.split('\n').sort();
    expect(files).toEqual(['[FILE] a.txt', '[FILE] b.json', '[FILE] c.txt']);
    const joined = { text: `${a!.content}+${c!.content}`, n: JSON.parse(b!.content).n };
    expect(joined).toEqual({ text: 'alpha+gamma', n: 2 });
  });

  it('turns a tool error (path outside the allowed directory) into a ToolCallError', async () => {
    const error = await api(group).read_text_file!({ path: '/etc/hostname' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolCallError);
    expect(error).toMatchObject({ code: ErrorCode.TOOL_ERROR });
    expect((error as Error).message).toMatch(/^MCP tool fs\.read_text_file failed: .*(denied|outside)/i);
  });
});
