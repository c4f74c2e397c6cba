#!/usr/bin/env node
import { reexecWithoutSnapshot, shouldReexec, watchParent } from './reexec.js';

/** Commands that run agent code in the sandbox, which needs `--no-node-snapshot`. */
const SANDBOX_COMMANDS = new Set(['serve', 'mcp', 'exec']);

async function main(): Promise<number> {
  const [command] = process.argv.slice(2);
  if (command !== undefined && SANDBOX_COMMANDS.has(command) && shouldReexec())
    return reexecWithoutSnapshot();
  watchParent();
  const { runCLI } = await import('./main.js');
  return runCLI(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}

void main().then((code) => {
  process.exitCode = code;
  // Let pending output drain, but never hang on a stray handle.
  setTimeout(() => process.exit(code), 3_000).unref();
});
