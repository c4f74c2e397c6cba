import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The built bin (`pnpm turbo run build --filter=@agent-tool-protocol/cli...` first). */
export const CLI = resolve(__dirname, '..', '..', 'dist', 'cli.js');
export const FIXTURES = resolve(__dirname, '..', 'fixtures');
export const EVERYTHING_WRAPPER = join(FIXTURES, 'everything-with-pidfile.mjs');

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

/** The environment children get: no NODE_OPTIONS, so the bin's own `--no-node-snapshot` re-exec runs. */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'NODE_OPTIONS' && !key.startsWith('ATP_') && !key.startsWith('JEST'))
      env[key] = value;
  }
  return { ...env, NODE_ENV: 'development', ...extra };
}

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'atp-cli-test-'));
  tempDirs.add(dir);
  return dir;
}

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout+stderr match of `pattern`; rejects when the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node dist/cli.js …args` in its own process group (so cleanup can end its whole tree). */
export function startCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; stdin?: string } = {},
): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? tempDir(),
    env: options.env ?? childEnv(),
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk) => {
    out += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    err += String(chunk);
  });
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit({ code, signal }));
  });
  const waitFor = (pattern: RegExp, timeoutMs = 60_000) =>
    new Promise<RegExpMatchArray>((resolveMatch, reject) => {
      const check = () => {
        const match = out.match(pattern) ?? err.match(pattern);
        if (match) {
          cleanup();
          resolveMatch(match);
        }
      };
      const onExit = () => {
        setTimeout(() => {
          check();
          cleanup();
          reject(new Error(`atp exited before printing ${pattern}\nstdout:\n${out}\nstderr:\n${err}`));
        }, 50);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${pattern}\nstdout:\n${out}\nstderr:\n${err}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        child.stderr?.off('data', check);
        child.off('exit', onExit);
      };
      child.stdout?.on('data', check);
      child.stderr?.on('data', check);
      child.once('exit', onExit);
      check();
    });
  return { child, stdout: () => out, stderr: () => err, waitFor, exited };
}

/** Runs the bin to completion. */
export async function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; stdin?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const running = startCli(args, { stdin: '', ...options });
  const { code } = await running.exited;
  return { code, stdout: running.stdout(), stderr: running.stderr() };
}

/** Starts `atp serve` and resolves with its URL once the startup summary is printed. */
export async function startServe(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
) {
  const running = startCli(['serve', '--port', '0', ...args], options);
  const [, url] = await running.waitFor(/ATP gateway listening on (http:\/\/\S+)/);
  return { ...running, url: url as string };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function readPid(file: string): number {
  return Number(readFileSync(file, 'utf8'));
}

/** Waits until `pid` is gone (or the deadline passes); resolves with whether it is gone. */
export async function waitForExit(pid: number, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isAlive(pid);
}

/** Ends every child started by these helpers (and their process groups) and removes temp dirs. */
export async function cleanupChildren(): Promise<void> {
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** Kills a process by PID if it is still running (used for MCP server PIDs recorded by the wrapper). */
export function killPid(pid: number | undefined): void {
  if (pid === undefined || !isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
