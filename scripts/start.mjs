#!/usr/bin/env node
// `pnpm start`: builds nothing itself; runs the quickstart example server (the README's main command).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
if (!existsSync(join(root, 'examples/quickstart/package.json'))) {
  console.log('No runnable server yet. Available now: pnpm build, pnpm test, pnpm typecheck, pnpm lint.');
  process.exit(0);
}
const child = spawn('pnpm', ['--filter', 'quickstart', 'start'], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
