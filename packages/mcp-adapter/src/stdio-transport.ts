import { type ChildProcess, spawn } from 'node:child_process';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { childEnvironment } from './child-env.js';
import type { Logger } from './logger.js';
import { trackProcessGroup, untrackProcessGroup } from './process-registry.js';
import { StderrTail } from './stderr-tail.js';

export interface StdioTransportOptions {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  shutdownGraceMs: number;
  logger: Logger;
  serverName: string;
  /** Applied to the server's stderr before it is logged (removes the secrets of its config). */
  redact?: (text: string) => string;
}

const USE_PROCESS_GROUP = process.platform !== 'win32';

/**
 * The stdio transport, differing from the SDK's in one way that matters for "no orphans": on
 * POSIX the server runs as the leader of its own process group, and shutdown (or a crash of the
 * leader) signals the whole group, so wrappers such as `npx` or `sh -c` take their children along.
 */
export class ProcessGroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private readonly readBuffer = new ReadBuffer();
  private closing = false;
  private readonly stderr = new StderrTail();
  /** How the process ended, when it ended on its own (not because we closed it). */
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(private readonly options: StdioTransportOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last few KB the server wrote to stderr (its startup error, usually), its config's secrets redacted. */
  get stderrTail(): string {
    return this.redact(this.stderr.toString());
  }

  private get redact(): (text: string) => string {
    return this.options.redact ?? ((text) => text);
  }

  /**
   * Why the process is gone, for error messages: `exited with code 1` plus the end of its stderr, or
   * just the stderr tail while it is still running. Empty when there is nothing to say.
   */
  describeProcess(): string {
    const parts: string[] = [];
    if (this.exit) {
      const { code, signal } = this.exit;
      parts.push(signal ? `the process was killed by ${signal}` : `the process exited with code ${code}`);
    }
    const tail = this.stderrTail;
    parts.push(tail ? `its stderr ended with:\n${indent(tail)}` : 'it wrote nothing to stderr');
    return parts.join('; ');
  }

  start(): Promise<void> {
    if (this.child) throw new Error('ProcessGroupStdioTransport already started');
    const { command, args, env, cwd, logger, serverName } = this.options;
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, {
        env: childEnvironment(env),
        cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: USE_PROCESS_GROUP,
        windowsHide: true,
        shell: false,
      });
      this.child = child;
      child.once('error', (error) => {
        reject(error);
        this.onerror?.(error);
      });
      child.once('spawn', () => {
        if (child.pid !== undefined) trackProcessGroup(child.pid, USE_PROCESS_GROUP);
        resolve();
      });
      child.once('exit', (code, signal) => {
        if (!this.closing) this.exit = { code, signal };
        if (child.pid === undefined) return;
        // Stragglers of a leader that exited (a crash, or a wrapper such as `npx` quitting first);
        // they may also hold the stdio pipes open, which would delay `close` forever.
        signalGroup(child.pid, 'SIGKILL');
        untrackProcessGroup(child.pid);
      });
      child.once('close', () => {
        this.child = undefined;
        this.onclose?.();
      });
      child.stdout?.on('data', (chunk: Buffer) => {
        this.readBuffer.append(chunk);
        this.drainReadBuffer();
      });
      // Always consumed: an unread pipe would block the server once its buffer fills.
      child.stderr?.setEncoding('utf8').on('data', (text: string) => {
        this.stderr.append(text);
        logger.debug({ mcpServer: serverName, stderr: this.redact(text.trimEnd()) }, 'MCP server stderr');
      });
      child.stdin?.on('error', (error) => this.onerror?.(error));
      child.stdout?.on('error', (error) => this.onerror?.(error));
    });
  }

  private drainReadBuffer(): void {
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = this.readBuffer.readMessage();
      } catch (error) {
        this.onerror?.(error as Error);
        continue;
      }
      if (message === null) return;
      this.onmessage?.(message);
    }
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.closing) return Promise.reject(new Error('Not connected'));
    return new Promise((resolve) => {
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /** Closes stdin, waits `shutdownGraceMs`, then SIGTERM and finally SIGKILL to the whole group. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || this.closing) return;
    this.closing = true;
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    const waitExit = (ms: number) =>
      Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(r, ms, false).unref())]);
    child.stdin?.end();
    const pid = child.pid;
    if (pid !== undefined && !(await waitExit(this.options.shutdownGraceMs))) {
      signalGroup(pid, 'SIGTERM');
      if (!(await waitExit(this.options.shutdownGraceMs))) {
        signalGroup(pid, 'SIGKILL');
        await waitExit(this.options.shutdownGraceMs);
      }
    }
    this.readBuffer.clear();
  }
}

/** Signals the process group led by `pid` (or just `pid` where groups are not used); ignores ESRCH. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(USE_PROCESS_GROUP ? -pid : pid, signal);
  } catch {
    // already gone
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
