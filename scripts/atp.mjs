#!/usr/bin/env node
// `pnpm atp <command> …`: the `atp` CLI from this checkout, before the packages are on the registry.
// Runs in the directory pnpm was called from (INIT_CWD), so `pnpm atp init` writes there, and
// `pnpm --dir path/to/checkout atp serve` works from any folder. Builds the CLI first if it was never
// built; build output goes to stderr so that `pnpm -s atp mcp` keeps stdout for the MCP protocol.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'packages', 'cli', 'dist', 'cli.js');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };

if (!existsSync(cli)) {
  process.stderr.write('atp: building the CLI and the packages it uses (once)…\n');
  const build = spawnSync(
    'pnpm',
    [
      'exec',
      'turbo',
      'run',
      'build',
      '--filter',
      '@agent-tool-protocol/cli...',
      '--output-logs',
      'errors-only',
    ],
    { cwd: root, stdio: ['ignore', 2, 2], env },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// The sandbox needs --no-node-snapshot; passing it here saves the CLI its own re-exec.
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pnpm for a script run, not a build input
const cwd = process.env.INIT_CWD ?? process.cwd();
const child = spawn(process.execPath, ['--no-node-snapshot', cli, ...process.argv.slice(2)], {
  cwd,
  stdio: 'inherit',
  env,
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 143)));
