import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..');

// The scripts a person runs (`pnpm start`, `pnpm demo`), with the environment a person has: jest's
// NODE_OPTIONS (which hides warnings) removed.
const { NODE_OPTIONS: _jestNodeOptions, ...userEnv } = process.env;

function startServer(): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn('pnpm', ['start'], {
    cwd: root,
    env: { ...userEnv, PORT: '0', NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, stderr: () => stderr });
      }
    });
    child.stderr!.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

describe('examples/quickstart', () => {
  it('`pnpm start` serves, `pnpm demo` prints results from every snippet, and neither prints an ExperimentalWarning', async () => {
    const { child, url, stderr } = await startServer();
    try {
      const demo = await run('pnpm', ['demo'], {
        cwd: root,
        env: { ...userEnv, ATP_URL: url },
        timeout: 30_000,
      });
      const { stdout } = demo;
      // The sandbox strips TypeScript with an experimental Node API; the scripts must hide its warning.
      expect(stderr()).not.toContain('ExperimentalWarning');
      expect(demo.stderr).not.toContain('ExperimentalWarning');
      expect(stdout).toContain('search → desk.tickets.search');
      expect(stdout.match(/status: completed/g)).toHaveLength(3);
      expect(stdout).toContain('"urgentOpen"');
      expect(stdout).toMatch(/"team": "(billing|technical)"/);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  });
});
