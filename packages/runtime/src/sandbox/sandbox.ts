import type { ExecutionError, SandboxSetup } from '@agent-tool-protocol/protocol';
import ivm from 'isolated-vm';
import { AGENT_FILENAME, compileSource, isCompileError, parseErrorFromCompile } from './agent-code.js';
import type { IsolateFactory, SandboxEntry } from './factory.js';
import { onFreshStack } from './fresh-stack.js';

/**
 * Takes each outbox the sandbox hands over (a JSON array of `OutboxMessage`) and answers with the
 * results ready now (`SandboxDelivery` as JSON) or '' (the sandbox idles until the next `step`).
 *
 * A promise answer must settle within the microtasks of the task that called the handler, never on a
 * later timer or I/O turn: isolated-vm 7 (`applySyncPromise`) wakes the waiting isolate thread before
 * it signals that thread's condition variable, which the thread may have destroyed by then. That
 * use-after-free froze the process in `pthread_cond_signal` on a loaded machine.
 */
export type ChannelHandler = (outbox: string) => string | Promise<string>;

/** Answers the sandbox when no execution is attached: nothing to deliver. */
const IDLE: ChannelHandler = () => '';

/**
 * Sandbox isolates not yet disposed. isolated-vm can crash the process (SIGSEGV) when it exits while
 * an isolate is being given a fresh context; disposing them all when the process exits avoids that.
 * (`executor.dispose()` waits for that work, so this matters for a process that exits without it.)
 */
const live = new Set<SandboxIsolate>();

function disposeLive(): void {
  for (const host of live) host.dispose();
}

/**
 * The isolate executions run in, one at a time, each in a fresh context (see `Sandbox`). Made by the
 * `IsolateFactory` off this thread.
 */
class SandboxIsolate {
  /** Executions this isolate has had (a context each). */
  uses = 0;
  lostMessage: string | undefined;
  /** The sandbox using the isolate now, told when the isolate is lost. */
  current: Sandbox | undefined;

  constructor(
    readonly factory: IsolateFactory,
    readonly isolate: ivm.Isolate,
    /** The bootstrap compiled for this isolate: each context runs it. */
    readonly bootstrap: ivm.Script,
    readonly memoryLimitMB: number,
  ) {
    if (live.size === 0) process.once('exit', disposeLive);
    live.add(this);
  }

  markLost(message: string): void {
    this.lostMessage = message;
    // Its thread is parked for good: it can neither be disposed nor block the exit.
    this.forget();
    this.current?.lost(message);
  }

  /** Disposes the isolate now, on this thread (it stops even mid-entry). */
  dispose(): void {
    this.forget();
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  /** Disposes an idle isolate off this thread (by the factory). */
  release(): void {
    this.forget();
    if (this.lostMessage === undefined && !this.isolate.isDisposed) this.factory.dispose(this.isolate);
  }

  private forget(): void {
    if (live.delete(this) && live.size === 0) process.removeListener('exit', disposeLive);
    try {
      this.bootstrap.release();
    } catch {
      // already gone with the isolate
    }
  }
}

/** The channel of one context: outboxes go to the execution attached to it, if any. */
function channelFor(target: () => Sandbox | undefined): ivm.Reference {
  return new ivm.Reference((outbox: string) => {
    const sandbox = target();
    return sandbox === undefined ? '' : sandbox.handler(outbox);
  });
}

/** A prepared context whose previous execution hung the isolate is given up after this long. */
const PREPARE_TIMEOUT_MS = 2000;

/**
 * One context with the bootstrap installed, in an isolate made by the `IsolateFactory` off this
 * thread. Used by exactly one execution; then either the isolate is disposed (by the factory, also off
 * this thread), or — when the execution ended cleanly — the context is detached and the isolate gets a
 * fresh context for the next execution (`next`), which shares no object with this one.
 *
 * Every entry that runs agent code is asynchronous (isolated-vm's thread pool), so agent CPU work never
 * blocks this thread; after a `step` the sandbox hands its outboxes to the channel. The configuration
 * and the agent code's compilation go with the start, in the isolate's thread too. The synchronous
 * calls (`collect` after the start, `heapUsedBytes` after the execution yielded) are made only on an
 * idle isolate: one while the isolate waits on the channel would deadlock.
 */
export class Sandbox {
  private disposed = false;
  /** @internal the channel's handler */
  handler: ChannelHandler = IDLE;
  private onLost: ((message: string) => void) | undefined;

  private constructor(
    private readonly host: SandboxIsolate,
    private readonly context: ivm.Context,
    private readonly entry: SandboxEntry,
    private readonly channel: ivm.Reference,
  ) {
    host.current = this;
    host.uses++;
  }

  /**
   * A sandbox in a fresh isolate from the factory. `onLost` (see `IsolateFactory.create`) makes
   * catastrophic V8 failures survivable, at the cost of creating the isolate itself on this thread.
   */
  static async create(
    factory: IsolateFactory,
    memoryLimitMB: number,
    onLost?: (message: string) => void,
  ): Promise<Sandbox> {
    let host: SandboxIsolate | undefined;
    let sandbox: Sandbox | undefined;
    let lostEarly: string | undefined;
    const channel = channelFor(() => sandbox);
    const [isolate, bootstrap, ...handles] = await factory.create(
      memoryLimitMB,
      channel,
      onLost === undefined
        ? undefined
        : (message) => {
            onLost(message);
            if (host === undefined) lostEarly = message;
            else host.markLost(message);
          },
    );
    host = new SandboxIsolate(factory, isolate, bootstrap, memoryLimitMB);
    sandbox = new Sandbox(host, ...handles, channel);
    if (lostEarly !== undefined) host.markLost(lostEarly);
    // The first synchronous call into an isolate from this thread costs about 0.1 ms more than the
    // next ones: pay it here, while the sandbox waits in the pool, not on a request's path.
    if (!sandbox.isLost) sandbox.collect();
    return sandbox;
  }

  get memoryLimitMB(): number {
    return this.host.memoryLimitMB;
  }

  /** Executions this sandbox's isolate has had, this one included. */
  get isolateUses(): number {
    return this.host.uses;
  }

  /**
   * Detaches this context (its execution ended cleanly and the isolate is idle) and prepares a fresh
   * one in the same isolate for the next execution. Off this thread, in one call to the factory: the
   * isolate runs the detach and then the new context's creation, in that order, so nothing of this
   * context runs after the new one is handed out. Rejects (and disposes the isolate) when that fails
   * or does not finish in time.
   */
  async next(): Promise<Sandbox> {
    if (this.disposed || this.isDisposed || this.isLost) throw new Error('The sandbox cannot be reused');
    this.disposed = true;
    this.handler = IDLE;
    const host = this.host;
    host.current = undefined;
    const timer = setTimeout(() => host.dispose(), PREPARE_TIMEOUT_MS);
    try {
      let next: Sandbox | undefined;
      const channel = channelFor(() => next);
      const handles = await host.factory.prepare(host.isolate, host.bootstrap, channel, this.entry);
      this.releaseHandles();
      next = new Sandbox(host, ...handles, channel);
      if (host.lostMessage !== undefined || host.isolate.isDisposed) {
        next.release();
        throw new Error('The sandbox isolate was lost');
      }
      return next;
    } catch (error) {
      this.releaseHandles();
      host.release();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Where outboxes go, and what to do if the isolate is lost (a catastrophic error). */
  attach(handler: ChannelHandler, onLost: (message: string) => void): void {
    this.handler = handler;
    this.onLost = onLost;
    if (this.host.lostMessage !== undefined) onLost(this.host.lostMessage);
  }

  /** @internal the isolate hit a catastrophic error: its thread is parked, it never answers again. */
  lost(message: string): void {
    this.onLost?.(message);
  }

  private get isolate(): ivm.Isolate {
    return this.host.isolate;
  }

  get isDisposed(): boolean {
    return this.disposed || this.isolate.isDisposed;
  }

  /** True when isolated-vm disposed the isolate itself (its memory limit), not this host. */
  get disposedByLimit(): boolean {
    return !this.disposed && this.isolate.isDisposed;
  }

  get isLost(): boolean {
    return this.host.lostMessage !== undefined;
  }

  /** CPU time spent in this isolate, in ms (readable while it runs). */
  cpuTimeMs(): number {
    return this.isolate.isDisposed ? 0 : Number(this.isolate.cpuTime) / 1e6;
  }

  /** Only when the isolate is idle (after the execution yielded). */
  heapUsedBytes(): number | undefined {
    if (this.isDisposed || this.isLost) return undefined;
    try {
      return this.isolate.getHeapStatisticsSync().used_heap_size;
    } catch {
      return undefined;
    }
  }

  /**
   * Starts the execution: the per-execution configuration, then the agent code (a function body; see
   * `compileSource` for `preludeLength`) compiled and run, both queued on the isolate's thread, so
   * neither costs this thread more than handing them over. The promise settles when the start task is
   * over (its microtasks included): then `collect` takes the outbox. It resolves to a PARSE_ERROR
   * description when the code does not compile; it rejects when a promise was rejected without a
   * handler during the task, or the isolate is gone.
   */
  async start(config: SandboxSetup, body: string, preludeLength = 0): Promise<ExecutionError | undefined> {
    const { source, lineOffset } = compileSource(body, preludeLength);
    const configJson = JSON.stringify(config);
    try {
      await onFreshStack(() => {
        // No answer to wait for: the bootstrap starts no agent code that was not set up first.
        this.entry.applyIgnored(undefined, ['setup', configJson]);
        return this.context.eval(source, { filename: AGENT_FILENAME, lineOffset });
      });
      return undefined;
    } catch (error) {
      // V8's compile error; not when the script compiled (agent code that ran threw a look-alike).
      if (isCompileError(error) && !this.isDisposed && !this.isLost && !this.scriptCompiled())
        return parseErrorFromCompile(error, body.slice(Math.max(0, preludeLength)));
      throw error;
    }
  }

  /** Whether the agent script compiled (the start task is over: the isolate is idle). */
  private scriptCompiled(): boolean {
    try {
      return this.entry.applySync(undefined, ['compiled']) === true;
    } catch {
      return true;
    }
  }

  /**
   * Takes the outbox after `start` (bootstrap code on the idle isolate; never while the sandbox may
   * wait on the channel, which only a `step` leads to).
   */
  collect(): string {
    return this.entry.applySync(undefined, ['collect'], { timeout: 5000 }) as string;
  }

  /** Delivers results (a JSON array of `DeliveredResult`) the host had while the sandbox was idle. */
  step(clock: number, batchJson: string): Promise<unknown> {
    return onFreshStack(() => this.entry.apply(undefined, ['step', clock, batchJson]));
  }

  /** Stops the isolate now, even mid-entry (a limit, a cancel): it never blocks this thread. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cleanUp();
    this.host.dispose();
  }

  /** Frees an idle isolate off this thread (the factory disposes it). */
  release(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cleanUp();
    this.host.release();
  }

  private cleanUp(): void {
    this.handler = IDLE;
    if (this.host.current === this) this.host.current = undefined;
    this.releaseHandles();
  }

  private releaseHandles(): void {
    for (const handle of [this.entry, this.channel, this.context]) {
      try {
        handle.release();
      } catch {
        // already gone with the isolate
      }
    }
  }
}
