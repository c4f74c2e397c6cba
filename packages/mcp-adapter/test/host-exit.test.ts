import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fixture, isAlive, waitFor } from './helpers';

const packageDir = join(__dirname, '..');
const builtModule = join(packageDir, 'node_modules', '.cache', 'mcp-adapter-test', 'index.js');

/** The host runs in a plain Node process, so it needs a JS build of the package (bundled from src). */
function buildForHost(): void {
  const require = createRequire(join(packageDir, 'package.json'));
  const tsupPackage = require.resolve('tsup/package.json');
  const cli = join(dirname(tsupPackage), (require(tsupPackage) as { bin: Record<string, string> }).bin.tsup!);
  execFileSync(
    process.execPath,
    [
      cli,
      'src/index.ts',
      '--no-config',
      '--format',
      'esm',
      '--target',
      'node24',
      '--silent',
      '--out-dir',
      dirname(builtModule),
    ],
    { cwd: packageDir, stdio: 'ignore' },
  );
}

function startHost(): Promise<{ host: ChildProcess; pid: number; leader: number }> {
  const host = spawn(process.execPath, [fixture('host.mjs'), builtModule, fixture('test-server.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    host.stdout!.setEncoding('utf8').on('data', (text: string) => {
      output += text;
      if (output.includes('\n')) resolve({ host, ...JSON.parse(output) });
    });
    host.once('exit', (code) => reject(new Error(`host exited early (${code}): ${output}`)));
  });
}

describe('a host process that exits without closing its connector', () => {
  const servers: number[] = [];
  beforeAll(buildForHost, 60_000);
  afterAll(() => {
    for (const pid of servers) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone, as expected
      }
    }
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('takes its stdio servers along on %s', async (signal) => {
    const { host, pid, leader } = await startHost();
    servers.push(pid);
    expect(pid).toBe(leader);
    expect(isAlive(pid)).toBe(true);
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      host.once('exit', (_code, sig) => resolve(sig)),
    );
    host.kill(signal);
    // The default action of the signal still ends the host.
    await expect(exited).resolves.toBe(signal);
    await waitFor(() => !isAlive(pid), 5_000, `server ${pid} to die with its host`);
  });
});
