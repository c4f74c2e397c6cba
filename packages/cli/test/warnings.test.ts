import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv, cleanupChildren, runCli, startServe, tempDir } from './support/cli-process';

afterEach(() => cleanupChildren());

describe('no ExperimentalWarning from atp', () => {
  test('atp serve and atp exec (TypeScript agent code), with and without --no-node-snapshot in NODE_OPTIONS', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'agent.ts'), 'const n: number = 41;\nreturn n + 1;\n');
    for (const env of [childEnv(), childEnv({ NODE_OPTIONS: '--no-node-snapshot' })]) {
      const serve = await startServe([], { cwd: dir, env });
      const exec = await runCli(['exec', 'agent.ts', '--server', serve.url], { cwd: dir, env });
      expect(exec.stdout.trim()).toBe('42');
      serve.child.kill('SIGTERM');
      await serve.exited;
      const inProcess = await runCli(['exec', 'agent.ts'], { cwd: dir, env });
      expect(inProcess.stdout.trim()).toBe('42');
      for (const stderr of [serve.stderr(), exec.stderr, inProcess.stderr]) {
        expect(stderr).not.toContain('ExperimentalWarning');
      }
    }
  });
});
