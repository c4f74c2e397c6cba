#!/usr/bin/env node
// `pnpm start`: builds the packages the quickstart needs (turbo caches this), then runs its server.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };
const build = spawnSync(
  'pnpm',
  ['exec', 'turbo', 'run', 'build', '--filter', 'quickstart-example...', '--output-logs', 'errors-only'],
  {
    cwd: root,
    stdio: 'inherit',
    env,
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const child = spawn('pnpm', ['--filter', 'quickstart-example', 'start'], {
  cwd: root,
  stdio: 'inherit',
  env,
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
