import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..');
// No API keys (the scripted model runs) and no ATP_URL (start.ts starts the quickstart server).
const { OPENAI_API_KEY: _openai, ANTHROPIC_API_KEY: _anthropic, ATP_URL: _url, ...offline } = process.env;

function startQuickstartServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--no-node-snapshot', 'src/server.ts'], {
    cwd: join(root, '..', 'quickstart'),
    env: { ...process.env, PORT: '0', NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)\r?\n/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    });
    child.stderr!.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

function expectTriage(stdout: string) {
  expect(stdout).toContain('model: scripted offline model');
  expect(stdout).toContain('→ atp_search_api');
  expect(stdout).toContain('API functions for "search tickets by status and priority"');
  expect(stdout).toContain('→ atp_execute_code');
  const answer = stdout.slice(stdout.indexOf('\nanswer: '));
  expect(answer).toContain('status: completed (2 API calls, 5 LLM calls)');
  const result = JSON.parse(/result: (.*)/.exec(answer)![1]!);
  expect(result.urgentOpen).toBeGreaterThan(0);
  expect(Object.values(result.perAssignee as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(
    result.urgentOpen,
  );
  expect(result.routing).toHaveLength(5);
  for (const row of result.routing) {
    expect(['billing', 'technical', 'accounts']).toContain(row.team);
    if (/refund|invoice|upgrade/.test(row.title)) expect(row.team).toBe('billing');
  }
}

describe('examples/langchain-agent', () => {
  it('`start` runs the agent end to end, starting the quickstart server itself', async () => {
    const { stdout } = await run(process.execPath, ['--no-node-snapshot', 'src/start.ts'], {
      cwd: root,
      env: offline,
      timeout: 60_000,
    });
    expect(stdout).toContain('(quickstart, started for this run)');
    expectTriage(stdout);
  });

  it('`agent` runs against a server given by ATP_URL', async () => {
    const { child, url } = await startQuickstartServer();
    try {
      const { stdout } = await run(process.execPath, ['--no-node-snapshot', 'src/agent.ts'], {
        cwd: root,
        env: { ...offline, ATP_URL: url },
        timeout: 30_000,
      });
      expect(stdout).toContain(`ATP server: ${url}`);
      expectTriage(stdout);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
