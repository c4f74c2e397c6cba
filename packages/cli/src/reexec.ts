import { spawn } from 'node:child_process';

const FLAG = '--no-node-snapshot';
/** Set in the re-executed child, so a Node that ignores the flag cannot cause a re-exec loop. */
export const REEXEC_ENV = 'ATP_CLI_REEXEC';

/** isolated-vm crashes under Node's startup snapshot: the sandbox needs `--no-node-snapshot`. */
export function hasNoNodeSnapshot(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? '',
): boolean {
  return execArgv.includes(FLAG) || nodeOptions.split(/\s+/).includes(FLAG);
}

export function shouldReexec(): boolean {
  return !hasNoNodeSnapshot() && process.env[REEXEC_ENV] === undefined;
}

/**
 * Runs this same script again under `node --no-node-snapshot`, with the same stdio (so `atp mcp` keeps a
 * clean stdout), forwards termination signals, and resolves with the child's exit code. The child also
 * gets an IPC channel: if this process dies, the child notices the disconnect and shuts down.
 */
export function reexecWithoutSnapshot(): Promise<number> {
  const [, script, ...args] = process.argv;
  const child = spawn(process.execPath, [FLAG, ...process.execArgv, script as string, ...args], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [REEXEC_ENV]: '1' },
  });
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const handlers = signals.map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return new Promise((resolve) => {
    child.once('error', (error) => {
      process.stderr.write(`atp: cannot start ${process.execPath}: ${error.message}\n`);
      resolve(1);
    });
    child.once('exit', (code, signal) => {
      for (const [name, handler] of handlers) process.off(name, handler);
      resolve(code ?? (signal === 'SIGINT' ? 130 : 143));
    });
  });
}

/** In the re-executed child: end gracefully (as on SIGTERM) when the parent goes away. */
export function watchParent(): void {
  if (process.env[REEXEC_ENV] === undefined || !process.send) return;
  process.channel?.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
