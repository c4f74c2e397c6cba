import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..');
jest.setTimeout(90_000);

/** A port that was free a moment ago (the demo is pointed at it before the stack listens there). */
async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function startStack(
  dataDir: string,
  port = 0,
): Promise<{ child: ChildProcess; url: string; redisPid: number }> {
  const child = spawn(process.execPath, ['--no-node-snapshot', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', PORT: String(port), ATP_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the stack did not start:\n${output}`)), 60_000);
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /example listening on (http:\/\/\S+)/.exec(output);
      const redis = /redis-server \(pid (\d+)/.exec(output);
      if (match && redis) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, redisPid: Number(redis[1]) });
      }
    });
    child.stderr!.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => reject(new Error(`main exited with ${code}:\n${output}`)));
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('examples/production', () => {
  it('starts Redis, two instances and the proxy; the demo, started first, waits, then pauses on one instance and resumes on the other', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'atp-production-'));
    const port = await freePort();
    // The demo starts before the stack, as a person running both commands at once would.
    const demo = run(process.execPath, ['--no-node-snapshot', 'src/demo.ts'], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '', ATP_URL: `http://127.0.0.1:${port}`, ATP_WAIT_MS: '60000' },
      timeout: 75_000,
    });
    demo.catch(() => {});
    const { child, redisPid } = await startStack(dataDir, port);
    try {
      const { stdout } = await demo;
      expect(stdout).toContain('waiting for the ATP instances');
      expect(stdout).toContain('oauth → consent for "acme" granted');
      const paused = /paused on (instance-[ab])/.exec(stdout)?.[1];
      const resumed = /resume → completed on (instance-[ab])/.exec(stdout)?.[1];
      expect(paused).toBeDefined();
      expect(resumed).toBeDefined();
      expect(resumed).not.toBe(paused);
      expect(stdout).toContain('"customer": "Ada Lovelace"');
      expect(stdout).toContain('"ordersWithThisReference": 1');

      // Each instance wrote its own JSONL audit file: the pause on one, the durable resume on the other.
      const events = (instance: string) => {
        const file = readdirSync(dataDir).find((name) => name.startsWith(`audit-${instance}-`))!;
        return readFileSync(join(dataDir, file), 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>);
      };
      // Audit sinks write in the background (within ~50 ms).
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(events(paused!).some((event) => event.type === 'execution_pause')).toBe(true);
      expect(events(resumed!)).toContainEqual(
        expect.objectContaining({ type: 'execution_resume', mode: 'durable' }),
      );
      expect(events(resumed!)).toContainEqual(
        expect.objectContaining({ type: 'execution_complete', status: 'completed' }),
      );
      // No token or secret reaches the audit log.
      const all = readdirSync(dataDir)
        .filter((name) => name.endsWith('.jsonl'))
        .map((name) => readFileSync(join(dataDir, name), 'utf8'))
        .join('');
      expect(all).not.toMatch(/at_[0-9a-f]{32}|rt_[0-9a-f]{32}|Bearer /);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect(alive(redisPid)).toBe(false);
  });

  it('the demo gives up with a clear message when no stack comes up', async () => {
    const port = await freePort();
    const failure = await run(process.execPath, ['--no-node-snapshot', 'src/demo.ts'], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '', ATP_URL: `http://127.0.0.1:${port}`, ATP_WAIT_MS: '1500' },
      timeout: 20_000,
    }).then(
      () => undefined,
      (error: { stderr: string }) => error,
    );
    expect(failure?.stderr).toContain(`were not ready within 1500 ms`);
    expect(failure?.stderr).toContain('pnpm --filter production-example start');
  });
});
