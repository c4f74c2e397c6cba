import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..');
const env = { ...process.env, PORT: '0', NODE_ENV: 'development' };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((child) => child > 0);
  } catch {
    return [];
  }
}

function serve(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--no-node-snapshot', 'src/main.ts', '--serve'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output}`)), 30_000);
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    });
    child.stderr!.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}:\n${output}`)));
  });
}

function expectJoinedOutput(stdout: string): void {
  expect(stdout).toContain('aggregating everything: ');
  expect(stdout).toContain('search → files.read');
  expect(stdout).toContain('[ATP client] status: completed');
  expect(stdout).toContain('"salesRows": 460');
  expect(stdout).toMatch(
    /"city": "Los Angeles",\s+"stores": 2,\s+"orders": 4024,\s+"revenue": 229246,\s+"conditions": "Sunny \/ Clear"/,
  );
  expect(stdout).toContain('[MCP client] tools at');
  expect(stdout).toContain('search_api, explore_api, execute_code');
  expect(stdout).toMatch(
    /execute_code status: completed: \d+ characters reach the model instead of the 9845 characters/,
  );
  expect(stdout).toContain('  Chicago: 103407');
}

describe('examples/mcp-gateway', () => {
  it('start --once: aggregates both MCP servers, runs the join through ATP and MCP, and exits', async () => {
    const { stdout } = await run(process.execPath, ['--no-node-snapshot', 'src/main.ts', '--once'], {
      cwd: root,
      env,
      timeout: 60_000,
    });
    expectJoinedOutput(stdout);
  });

  it('serve + demo, then SIGTERM stops the gateway and both MCP server processes', async () => {
    const { child, url } = await serve();
    const mcpServers = childPids(child.pid!);
    try {
      expect(mcpServers.length).toBeGreaterThanOrEqual(2);
      const { stdout } = await run(process.execPath, ['--no-node-snapshot', 'src/demo.ts'], {
        cwd: root,
        env: { ...process.env, ATP_URL: url },
        timeout: 60_000,
      });
      expect(stdout).toContain('"salesRows": 460');
      expect(stdout).toContain('[MCP client] execute_code status: completed');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    const deadline = Date.now() + 10_000;
    while (mcpServers.some(isAlive) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(mcpServers.filter(isAlive)).toEqual([]);
  });
});
