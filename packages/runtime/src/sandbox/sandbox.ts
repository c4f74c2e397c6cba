import type { ExecutionError, SandboxSetup } from '@agent-tool-protocol/protocol';
import ivm from 'isolated-vm';
import { describe } from '../execution/values.js';
import { AGENT_FILENAME, compileSource, parseErrorFromCompile } from './agent-code.js';
import type { IsolateFactory, SandboxHandles } from './factory.js';

/**
 * Takes each outbox the sandbox hands over (a JSON array of `OutboxMessage`) and answers with the
 * results ready now (`SandboxDelivery` as JSON) or '' (the sandbox idles until the next `step`).
 */
export type ChannelHandler = (outbox: string) => string | Promise<string>;

/** Answers the sandbox when no execution is attached: nothing to deliver. */
const IDLE: ChannelHandler = () => '';

/** Agent code up to this size compiles on this thread (V8 only pre-parses the function body). */
const SYNC_COMPILE_CHARS = 16_384;

/**
 * One isolate + context with the bootstrap installed, created by the `IsolateFactory` off this thread.
 * Used by exactly one execution, then released (disposed by the factory, also off this thread).
 *
 * Every entry that runs agent code is asynchronous (isolated-vm's thread pool), so agent CPU work never
 * blocks this thread; after a `step` the sandbox hands its outboxes to the channel. The synchronous
 * calls (`setup`, a small `compile`, `collect` after the start, `heapUsedBytes` after the execution
 * yielded) are made only on an idle isolate: one while the isolate waits on the channel would deadlock.
 */
export class Sandbox {
  private disposed = false;
  private lostMessage: string | undefined;
  private handler: ChannelHandler = IDLE;
  private onLost: ((message: string) => void) | undefined;

  private constructor(
    private readonly factory: IsolateFactory,
    private readonly isolate: ivm.Isolate,
    private readonly context: ivm.Context,
    private readonly setupRef: SandboxHandles[2],
    private readonly stepRef: SandboxHandles[3],
    private readonly collectRef: SandboxHandles[4],
    private readonly channel: ivm.Reference,
    readonly memoryLimitMB: number,
  ) {}

  /**
   * A fresh sandbox from the factory. `onLost` (see `IsolateFactory.create`) makes catastrophic V8
   * failures survivable, at the cost of creating the isolate itself on this thread.
   */
  static async create(
    factory: IsolateFactory,
    memoryLimitMB: number,
    onLost?: (message: string) => void,
  ): Promise<Sandbox> {
    let sandbox: Sandbox | undefined;
    let lostEarly: string | undefined;
    const channel = new ivm.Reference((outbox: string) =>
      sandbox === undefined ? '' : sandbox.handler(outbox),
    );
    const handles = await factory.create(
      memoryLimitMB,
      channel,
      onLost === undefined
        ? undefined
        : (message) => {
            onLost(message);
            if (sandbox === undefined) lostEarly = message;
            else sandbox.markLost(message);
          },
    );
    const [isolate, context, setupRef, stepRef, collectRef] = handles;
    sandbox = new Sandbox(factory, isolate, context, setupRef, stepRef, collectRef, channel, memoryLimitMB);
    if (lostEarly !== undefined) sandbox.markLost(lostEarly);
    // The first synchronous call into an isolate from this thread costs about 0.1 ms more than the
    // next ones: pay it here, while the sandbox waits in the pool, not on a request's path.
    if (!sandbox.isLost)
      sandbox.setup({ seed: [1, 2, 3, 4], maxResultBytes: 1, maxMemoryBytes: 1, clock: 0 });
    return sandbox;
  }

  /** Where outboxes go, and what to do if the isolate is lost (a catastrophic error). */
  attach(handler: ChannelHandler, onLost: (message: string) => void): void {
    this.handler = handler;
    this.onLost = onLost;
    if (this.lostMessage !== undefined) onLost(this.lostMessage);
  }

  get isDisposed(): boolean {
    return this.disposed || this.isolate.isDisposed;
  }

  /** True when isolated-vm disposed the isolate itself (its memory limit), not this host. */
  get disposedByLimit(): boolean {
    return !this.disposed && this.isolate.isDisposed;
  }

  /** The isolate hit a catastrophic error: its thread is parked, it never answers again. */
  private markLost(message: string): void {
    this.lostMessage = message;
    this.onLost?.(message);
  }

  get isLost(): boolean {
    return this.lostMessage !== undefined;
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

  /** The per-execution configuration, on the fresh idle isolate (trusted bootstrap code only). */
  setup(config: SandboxSetup): void {
    this.setupRef.applySync(undefined, [JSON.stringify(config)]);
  }

  /**
   * Compiles agent code (a function body). V8 compiles the function inside lazily, so a small body
   * compiles on this thread in microseconds (a round trip to another thread costs more); a large one
   * compiles on isolated-vm's thread pool. A syntax error comes back as a PARSE_ERROR description; a
   * disposed isolate throws. `preludeLength`: see `compileSource`.
   */
  async compile(body: string, preludeLength = 0): Promise<ivm.Script | ExecutionError> {
    const { source, lineOffset } = compileSource(body, preludeLength);
    const options = { filename: AGENT_FILENAME, lineOffset };
    try {
      return body.length <= SYNC_COMPILE_CHARS
        ? this.isolate.compileScriptSync(source, options)
        : await this.isolate.compileScript(source, options);
    } catch (error) {
      if (this.isolate.isDisposed) throw new Error(`The sandbox was disposed: ${describe(error)}`);
      return parseErrorFromCompile(error, body.slice(Math.max(0, preludeLength)));
    }
  }

  /**
   * Runs the compiled script, which starts the agent's function. The promise settles when that task is
   * over (its microtasks included): then `collect` takes the outbox. It rejects when a promise was
   * rejected without a handler during the task, or the isolate is gone.
   */
  start(script: ivm.Script): Promise<unknown> {
    return script.run(this.context, { release: true });
  }

  /**
   * Takes the outbox after `start` (bootstrap code on the idle isolate; never while the sandbox may
   * wait on the channel, which only a `step` leads to).
   */
  collect(): string {
    return this.collectRef.applySync(undefined, [], { timeout: 5000 }) as string;
  }

  /** Delivers results (a JSON array of `DeliveredResult`) the host had while the sandbox was idle. */
  step(clock: number, batchJson: string): Promise<unknown> {
    return this.stepRef.apply(undefined, [clock, batchJson]);
  }

  /** Stops the isolate now, even mid-entry (a limit, a cancel): it never blocks this thread. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cleanUp();
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  /** Frees an idle isolate off this thread (the factory disposes it). */
  release(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cleanUp();
    if (this.isLost) return;
    this.factory.dispose(this.isolate);
  }

  private cleanUp(): void {
    this.handler = IDLE;
    try {
      this.channel.release();
      this.context.release();
    } catch {
      // already gone with the isolate
    }
  }
}
