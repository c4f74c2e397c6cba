import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..');

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--no-node-snapshot', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
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
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

describe('examples/quickstart', () => {
  it('starts the server and the demo prints results from every snippet', async () => {
    const { child, url } = await startServer();
    try {
      const { stdout } = await run(process.execPath, ['--no-node-snapshot', 'src/demo.ts'], {
        cwd: root,
        env: { ...process.env, ATP_URL: url },
        timeout: 30_000,
      });
      expect(stdout).toContain('search → desk.tickets.search');
      expect(stdout.match(/status: completed/g)).toHaveLength(3);
      expect(stdout).toContain('"urgentOpen"');
      expect(stdout).toMatch(/"team": "(billing|technical)"/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
