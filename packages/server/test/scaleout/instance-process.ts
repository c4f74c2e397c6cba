import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const PACKAGE_DIR = join(__dirname, '..', '..');

/** One server instance (test/scaleout/instance.ts) as a child process running the built packages. */
export class InstanceProcess {
  private constructor(
    readonly name: string,
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly output: () => string,
  ) {}

  static start(name: string, env: Record<string, string>): Promise<InstanceProcess> {
    const child = spawn(process.execPath, ['--no-node-snapshot', 'test/scaleout/instance.ts'], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, NODE_OPTIONS: '', INSTANCE: name, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        process.kill(child.pid!, 'SIGKILL');
        reject(new Error(`${name} did not start:\n${output}`));
      }, 30_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(new InstanceProcess(name, match[1]!, child, () => output));
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${code ?? signal}) before listening:\n${output}`));
      });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  get log(): string {
    return this.output();
  }

  /** SIGKILL by PID: the process dies with hot paused isolates, no shutdown hook runs. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM: graceful shutdown. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    process.kill(this.pid, signal);
    await exited;
  }
}
