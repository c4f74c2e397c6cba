import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MCPConnector, MCPUnavailableError } from '@agent-tool-protocol/mcp-adapter';
import { type APIGroup, ErrorCode, type FunctionCallContext } from '@agent-tool-protocol/protocol';
import { fixture, isAlive, testServerConfig, waitFor } from './helpers';

/** Command lines of running processes that contain `marker`. */
function processesWith(marker: string): string[] {
  const lines = execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' }).split('\n');
  // Zombies (stat Z) have exited and only wait to be reaped.
  return lines.filter((line) => line.includes(marker) && !/^\s*\d+\s+Z/.test(line));
}

const ctx: FunctionCallContext = { clientId: 'client-1', executionId: 'exec-1' };
const fastRestart = { initialDelayMs: 20, maxDelayMs: 200, maxAttempts: 3 };

function call(group: APIGroup, name: string, input: unknown = {}): Promise<unknown> {
  const found = group.functions.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no function ${name}`);
  return Promise.resolve(found.handler(input, ctx));
}

async function serverPid(group: APIGroup): Promise<{ pid: number; ppid: number }> {
  return (await call(group, 'pid')) as { pid: number; ppid: number };
}

describe('stdio server lifecycle', () => {
  let connector: MCPConnector;
  const seenPids: number[] = [];

  beforeEach(() => {
    connector = new MCPConnector({ restart: fastRestart, shutdownGraceMs: 500, callTimeoutMs: 10_000 });
  });

  afterEach(async () => {
    await connector.close();
    for (const pid of seenPids.splice(0)) expect(isAlive(pid)).toBe(false);
  });

  it('close() ends the server process (checked by PID)', async () => {
    const group = await connector.connectToMCPServer(testServerConfig('one'));
    const { pid } = await serverPid(group);
    expect(connector.status()[0]?.pid).toBe(pid);
    expect(isAlive(pid)).toBe(true);
    await connector.close();
    expect(isAlive(pid)).toBe(false);
    await expect(call(group, 'echo', { message: 'x' })).rejects.toMatchObject({
      code: ErrorCode.SERVICE_UNAVAILABLE,
      message: 'Cannot call one.echo: the MCP connection is closed',
    });
  });

  it('fails the in-flight call of a crashed server clearly and restarts it', async () => {
    const group = await connector.connectToMCPServer(testServerConfig('crashy'));
    const first = await serverPid(group);
    seenPids.push(first.pid);
    const hanging = call(group, 'hang');
    const crash = call(group, 'crash');
    for (const pending of [hanging, crash]) {
      const error = await pending.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MCPUnavailableError);
      expect(error).toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE, retryable: true });
      expect((error as Error).message).toMatch(
        /^MCP server "crashy" process exited while crashy\.(hang|crash) was in flight/,
      );
    }
    // A call made while it restarts waits for the new process.
    await expect(call(group, 'echo', { message: 'back' })).resolves.toBe('back');
    const second = await serverPid(group);
    seenPids.push(second.pid);
    expect(second.pid).not.toBe(first.pid);
    expect(isAlive(first.pid)).toBe(false);
    expect(connector.status()[0]).toMatchObject({ state: 'ready', restarts: 1, pid: second.pid });
  });

  it('kills the whole process group: a wrapper like npx leaves no orphaned child', async () => {
    const group = await connector.connectToMCPServer({
      name: 'wrapped',
      command: process.execPath,
      args: [fixture('wrapper.mjs')],
    });
    const first = await serverPid(group);
    expect(first.ppid).toBe(connector.status()[0]?.pid);
    const wrapperPid = first.ppid;
    seenPids.push(first.pid, wrapperPid);

    // The wrapper dies alone (SIGKILL, no chance to clean up): its child must not survive it.
    process.kill(wrapperPid, 'SIGKILL');
    await waitFor(() => !isAlive(first.pid), 5_000, 'the orphaned grandchild to be killed');
    const second = await serverPid(group);
    seenPids.push(second.pid, second.ppid);
    expect(second.pid).not.toBe(first.pid);

    await connector.close();
    expect(isAlive(second.pid)).toBe(false);
    expect(isAlive(second.ppid)).toBe(false);
  });

  it('close() in the middle of a restart still leaves no process running', async () => {
    for (const delayMs of [0, 5, 15, 40, 80, 150]) {
      const marker = `--marker=restart-race-${delayMs}-${process.pid}`;
      const racing = new MCPConnector({ restart: { initialDelayMs: 0, maxDelayMs: 50, maxAttempts: 5 } });
      const group = await racing.connectToMCPServer({
        ...testServerConfig('race'),
        args: [fixture('test-server.mjs'), marker],
      });
      process.kill((await serverPid(group)).pid, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await racing.close();
      expect(processesWith(marker)).toEqual([]);
    }
  });

  it('gives up after maxAttempts failed restarts and then fails calls at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-adapter-'));
    const marker = join(dir, 'fail');
    try {
      const group = await connector.connectToMCPServer(testServerConfig('doomed', { FAIL_MARKER: marker }));
      const { pid } = await serverPid(group);
      writeFileSync(marker, '1');
      process.kill(pid, 'SIGKILL');
      await waitFor(() => connector.status()[0]?.state === 'failed', 10_000, 'the server to be given up');
      expect(existsSync(marker)).toBe(true);
      await expect(call(group, 'echo', { message: 'x' })).rejects.toMatchObject({
        code: ErrorCode.SERVICE_UNAVAILABLE,
        retryable: false,
        message:
          'Cannot call doomed.echo: MCP server "doomed" crashed and did not come back after 3 restart attempts',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a server that cannot start with SERVICE_UNAVAILABLE and leaves nothing running', async () => {
    const error = await connector
      .connectToMCPServer({ name: 'missing', command: join(tmpdir(), 'no-such-mcp-server-binary') })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MCPUnavailableError);
    expect((error as Error).message).toMatch(
      /^Could not connect to MCP server "missing" \(stdio: .*no-such-mcp-server-binary\): /,
    );
    const exiting = await connector
      .connectToMCPServer({ name: 'exits', command: process.execPath, args: ['-e', 'process.exit(2)'] })
      .catch((e: unknown) => e);
    expect(exiting).toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE });
    expect(connector.status()).toEqual([]);
  });

  it('rejects a second server with the same name', async () => {
    await connector.connectToMCPServer(testServerConfig('dup'));
    await expect(connector.connectToMCPServer(testServerConfig('dup'))).rejects.toMatchObject({
      code: ErrorCode.CONFLICT,
      message: 'An MCP server named "dup" is already connected',
    });
  });

  it('disconnect() closes one server and keeps the others', async () => {
    const a = await connector.connectToMCPServer(testServerConfig('a'));
    const b = await connector.connectToMCPServer(testServerConfig('b'));
    const pidA = (await serverPid(a)).pid;
    const pidB = (await serverPid(b)).pid;
    seenPids.push(pidB);
    await expect(connector.disconnect('a')).resolves.toBe(true);
    expect(isAlive(pidA)).toBe(false);
    await expect(connector.disconnect('a')).resolves.toBe(false);
    await expect(call(b, 'echo', { message: 'b' })).resolves.toBe('b');
    expect(connector.getGroups().map((group) => group.name)).toEqual(['b']);
  });
});
