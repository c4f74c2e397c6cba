import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INHERITED_ENV_VARS, MCPConnector, MCPUnavailableError } from '@agent-tool-protocol/mcp-adapter';
import type { APIGroup } from '@agent-tool-protocol/protocol';
import { everythingServer, fixture, isAlive } from './helpers';

async function callTool(group: APIGroup, name: string, input: unknown = {}): Promise<unknown> {
  const found = group.functions.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no function ${name}`);
  return found.handler(input, { clientId: 'c', executionId: 'e' });
}

describe('a stdio server that fails to start', () => {
  let connector: MCPConnector;
  beforeEach(() => {
    connector = new MCPConnector({ shutdownGraceMs: 200 });
  });
  afterEach(() => connector.close());

  it('reports the exit code and the end of its stderr, without waiting for the connect timeout', async () => {
    // The default 30 s connect timeout is left alone: the failure must come from the exit, not a timeout.
    const error = await connector
      .connectToMCPServer({
        name: 'warehouse',
        command: process.execPath,
        args: [fixture('fails-at-start.mjs')],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MCPUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain('Could not connect to MCP server "warehouse"');
    expect(message).toContain('it closed the connection before answering the MCP initialize request');
    expect(message).toContain('the process exited with code 1');
    expect(message).toContain('WAREHOUSE_TOKEN is not set; export it or add it to the server env');
    expect(message).not.toMatch(/timed out/i);
    expect(connector.status()).toEqual([]);
  }, 15_000);

  it('says the server did not answer initialize, with its stderr so far, and stops it', async () => {
    const slow = new MCPConnector({ shutdownGraceMs: 200, connectTimeoutMs: 1_000 });
    try {
      const error = await slow
        .connectToMCPServer({ name: 'db', command: process.execPath, args: [fixture('silent-hang.mjs')] })
        .catch((e: unknown) => e);
      const message = (error as Error).message;
      expect(message).toContain('it did not answer the MCP initialize request within 1000 ms');
      expect(message).toContain('waiting for the database at 127.0.0.1:1');
      expect(message).not.toContain('exited with code');
    } finally {
      await slow.close();
    }
  });

  it('names a command that does not exist', async () => {
    const error = await connector
      .connectToMCPServer({ name: 'nope', command: 'no-such-mcp-server-command-xyz' })
      .catch((e: unknown) => e);
    expect((error as Error).message).toContain(
      'command "no-such-mcp-server-command-xyz" was not found (is it installed and on PATH?)',
    );
  });
});

describe('the environment of a stdio server (server-everything from npm)', () => {
  const saved = { ...process.env };
  let connector: MCPConnector;
  let dir: string;
  beforeEach(() => {
    connector = new MCPConnector({ shutdownGraceMs: 200 });
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'atp-mcp-env-')));
  });
  afterEach(async () => {
    await connector.close();
    process.env = { ...saved };
    rmSync(dir, { recursive: true, force: true });
  });

  it('inherits PATH, HOME, proxy and CA variables plus its own env, but not other secrets', async () => {
    const ca = join(dir, 'extra-ca.pem');
    writeFileSync(ca, '');
    process.env.NODE_EXTRA_CA_CERTS = ca;
    process.env.HTTPS_PROXY = 'http://127.0.0.1:9';
    process.env.no_proxy = 'localhost,127.0.0.1';
    process.env.ATP_TEST_SECRET_API_KEY = 'must-not-leak';
    const group = await connector.connectToMCPServer({
      name: 'everything',
      command: process.execPath,
      args: [everythingServer, 'stdio'],
      env: { WAREHOUSE_TOKEN: 'from-config', HTTPS_PROXY: 'http://127.0.0.1:8' },
      cwd: dir,
    });
    const raw = await callTool(group, 'get_env');
    const env = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, string>;
    expect(env.PATH).toBe(process.env.PATH);
    expect(env.HOME).toBe(process.env.HOME);
    expect(env.NODE_EXTRA_CA_CERTS).toBe(ca);
    expect(env.no_proxy).toBe('localhost,127.0.0.1');
    expect(env.HTTPS_PROXY).toBe('http://127.0.0.1:8'); // the server's env wins
    // Passed to the server; what its tool echoes back is redacted, as every configured secret is.
    expect(env.WAREHOUSE_TOKEN).toBe('[REDACTED]');
    expect(env.ATP_TEST_SECRET_API_KEY).toBeUndefined();
    expect(INHERITED_ENV_VARS).toContain('NODE_EXTRA_CA_CERTS');
    const pid = connector.status()[0]?.pid;
    expect(pid && isAlive(pid)).toBe(true);
  });
});
