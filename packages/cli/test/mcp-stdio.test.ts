import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  CLI,
  childEnv,
  cleanupChildren,
  EVERYTHING_WRAPPER,
  FIXTURES,
  isAlive,
  killPid,
  readPid,
  startCli,
  tempDir,
  waitForExit,
} from './support/cli-process';

let transport: StdioClientTransport | undefined;
let mcpPid: number | undefined;

afterEach(async () => {
  const pid = transport?.pid ?? undefined;
  await transport?.close().catch(() => {});
  killPid(pid ?? undefined);
  killPid(mcpPid);
  transport = undefined;
  mcpPid = undefined;
  await cleanupChildren();
});

function textOf(result: unknown): string {
  const content = (result as { content: Array<{ type: string; text?: string }> }).content;
  return content.map((block) => block.text ?? '').join('\n');
}

describe('atp mcp', () => {
  test('serves the aggregation over stdio to an MCP client; stdout carries only MCP; closing stdin ends it and its MCP servers', async () => {
    const dir = tempDir();
    copyFileSync(join(FIXTURES, 'bookshelf.yaml'), join(dir, 'bookshelf.yaml'));
    copyFileSync(join(FIXTURES, 'common.yaml'), join(dir, 'common.yaml'));
    const pidFile = join(dir, 'everything.pid');
    transport = new StdioClientTransport({
      command: process.execPath,
      args: [
        CLI,
        'mcp',
        '--openapi',
        'shelf=./bookshelf.yaml',
        '--mcp',
        `everything=${process.execPath} ${EVERYTHING_WRAPPER} ${pidFile}`,
        '--log-level',
        'info',
      ],
      cwd: dir,
      env: childEnv(),
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const protocolErrors: Error[] = [];
    const client = new Client({ name: 'cli-test', version: '1.0.0' });
    client.onerror = (error) => protocolErrors.push(error);
    await client.connect(transport);
    const gatewayPid = transport.pid as number;
    mcpPid = readPid(pidFile);

    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['execute_code', 'explore_api', 'search_api']);

    const search = await client.callTool({ name: 'search_api', arguments: { query: 'list books' } });
    expect(textOf(search)).toContain('api.shelf.books.listBooks');

    const run = await client.callTool({
      name: 'execute_code',
      arguments: {
        code: 'atp.log.info("calling echo"); return await api.everything.echo({ message: "over stdio" });',
      },
    });
    expect(run.isError).toBeFalsy();
    const answer = JSON.parse(textOf(run)) as { status: string; result: unknown; logs?: string[] };
    expect(answer).toMatchObject({ status: 'completed', result: 'Echo: over stdio' });
    expect(answer.logs).toEqual(['[info] calling echo']);

    // Startup progress and logs went to stderr; nothing but JSON-RPC reached the client on stdout.
    expect(stderr).toMatch(/ATP MCP server on stdio: 2 API groups/);
    expect(stderr).toMatch(/✔ MCP "everything"/);
    expect(protocolErrors).toEqual([]);

    await client.close();
    expect(await waitForExit(gatewayPid)).toBe(true);
    expect(await waitForExit(mcpPid)).toBe(true);
    expect(isAlive(mcpPid)).toBe(false);
  });

  test('with debug logging on, every stdout line is a JSON-RPC message; stdin closing exits 0', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'everything.pid');
    const running = startCli(
      [
        'mcp',
        '--log-level',
        'debug',
        '--mcp',
        `everything=${process.execPath} ${EVERYTHING_WRAPPER} ${pidFile}`,
      ],
      { cwd: dir },
    );
    await running.waitFor(/ATP MCP server on stdio/);
    mcpPid = readPid(pidFile);
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    };
    running.child.stdin?.write(`${JSON.stringify(initialize)}\n`);
    running.child.stdin?.write(
      `${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`,
    );
    running.child.stdin?.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' })}\n`);
    await running.waitFor(/"id":2/);
    running.child.stdin?.end();
    expect((await running.exited).code).toBe(0);
    const lines = running
      .stdout()
      .split('\n')
      .filter((line) => line !== '');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    // Logs are JSON lines on stderr when it is not a terminal.
    expect(running.stderr()).toMatch(/^\{"level":20,.*"msg":"MCP server stderr"\}$/m);
    expect(await waitForExit(mcpPid)).toBe(true);
  });
});
