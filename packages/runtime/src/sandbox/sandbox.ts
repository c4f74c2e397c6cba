import { SANDBOX_GLOBALS } from '@agent-tool-protocol/protocol';
import ivm from 'isolated-vm';
import { describe } from '../execution/values.js';
import { AGENT_FILENAME, parseErrorFromCompile, wrapBody } from './agent-code.js';
import { SANDBOX_SOURCE } from './sandbox-source.js';

/** Why an entry into the isolate did not complete. */
export type EntryFailure = 'memory' | 'timeout' | 'disposed' | 'internal';

export class SandboxEntryError extends Error {
  constructor(
    readonly reason: EntryFailure,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxEntryError';
  }
}

export interface EntryOutput {
  /** The outbox: a JSON array of messages. */
  outbox: string;
  /** Set when a promise was rejected without a handler during the entry. */
  unhandledRejection: string | undefined;
}

type EntryRef = ivm.Reference<(...args: unknown[]) => unknown>;

/**
 * One isolate + context with the bootstrap installed. Used by exactly one execution, then disposed.
 * All entries that can run agent code are asynchronous, so agent CPU work runs on isolated-vm's
 * thread pool and never blocks the host event loop.
 */
export class Sandbox {
  private disposed = false;

  private constructor(
    readonly isolate: ivm.Isolate,
    private readonly context: ivm.Context,
    private readonly setupRef: EntryRef,
    private readonly stepRef: EntryRef,
    private readonly collectRef: EntryRef,
    readonly memoryLimitMB: number,
  ) {}

  static async create(memoryLimitMB: number): Promise<Sandbox> {
    const isolate = new ivm.Isolate({ memoryLimit: memoryLimitMB });
    try {
      const context = await isolate.createContext();
      const script = await isolate.compileScript(SANDBOX_SOURCE, { filename: 'atp-bootstrap.js' });
      const bootstrap = (await script.run(context, { reference: true, release: true })) as EntryRef;
      const entries = (await bootstrap.apply(undefined, [JSON.stringify(SANDBOX_GLOBALS)], {
        result: { reference: true },
      })) as ivm.Reference<unknown[]>;
      bootstrap.release();
      const refs = [0, 1, 2].map((index) => entries.getSync(index, { reference: true }) as EntryRef);
      entries.release();
      // Warm-up: V8 compiles functions lazily, so call each entry once off the request path.
      await refs[0]!.apply(undefined, ['{"seed":[1,2,3,4],"maxResultBytes":1,"clock":0}']);
      await refs[1]!.apply(undefined, [0, '[]']);
      await refs[2]!.apply(undefined, []);
      return new Sandbox(isolate, context, refs[0]!, refs[1]!, refs[2]!, memoryLimitMB);
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw error;
    }
  }

  get isDisposed(): boolean {
    return this.disposed || this.isolate.isDisposed;
  }

  /** CPU time spent in this isolate, in ms. */
  cpuTimeMs(): number {
    return this.isolate.isDisposed ? 0 : Number(this.isolate.cpuTime) / 1e6;
  }

  heapUsedBytes(): number | undefined {
    if (this.isDisposed) return undefined;
    try {
      return this.isolate.getHeapStatisticsSync().used_heap_size;
    } catch {
      return undefined;
    }
  }

  setup(config: { seed: number[]; maxResultBytes: number; clock: number }): void {
    this.setupRef.applySync(undefined, [JSON.stringify(config)], { timeout: 1000 });
  }

  /**
   * Compiles agent code (a function body) on the calling thread: V8 parses function bodies lazily,
   * so this is cheap. A syntax error comes back as a PARSE_ERROR description.
   */
  compile(body: string): ivm.Script | ReturnType<typeof parseErrorFromCompile> {
    try {
      return this.isolate.compileScriptSync(wrapBody(body), { filename: AGENT_FILENAME, lineOffset: -1 });
    } catch (error) {
      if (this.isolate.isDisposed) {
        throw classify(error, this.isolate, false) ?? new SandboxEntryError('disposed', describe(error));
      }
      return parseErrorFromCompile(error);
    }
  }

  /** Runs the compiled script, which starts the agent's function; returns the first outbox. */
  async start(script: ivm.Script, timeoutMs: number): Promise<EntryOutput> {
    return this.enter(timeoutMs, () => script.run(this.context, { release: true, timeout: timeoutMs }));
  }

  /** Delivers a batch of results (a JSON array of `[id, ok, value]`) and returns the new outbox. */
  async step(clock: number, batchJson: string, timeoutMs: number): Promise<EntryOutput> {
    return this.enter(timeoutMs, () =>
      this.stepRef.apply(undefined, [clock, batchJson], { timeout: timeoutMs }),
    );
  }

  /**
   * Runs one entry, then takes the outbox. The entry functions catch every error of agent code, so
   * an entry that fails without the isolate being disposed or timing out is isolated-vm reporting a
   * promise rejected without a handler at the end of the task: the task itself completed, so the
   * execution goes on (like a browser, not like Node's crash-on-unhandled-rejection).
   */
  private async enter(timeoutMs: number, run: () => Promise<unknown>): Promise<EntryOutput> {
    const started = performance.now();
    let unhandledRejection: string | undefined;
    try {
      await run();
    } catch (error) {
      const failure = classify(error, this.isolate, performance.now() - started >= timeoutMs * 0.9);
      if (failure !== undefined) throw failure;
      unhandledRejection = describe(error);
    }
    return { outbox: this.collect(), unhandledRejection };
  }

  private collect(): string {
    try {
      return this.collectRef.applySync(undefined, [], { timeout: 5000 }) as string;
    } catch (error) {
      throw classify(error, this.isolate, false) ?? new SandboxEntryError('internal', describe(error));
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    try {
      this.context.release();
    } catch {
      // already gone with the isolate
    }
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }
}

/** An entry error caused by the isolate (memory, timeout, disposal); undefined for agent errors. */
function classify(
  error: unknown,
  isolate: ivm.Isolate,
  ranOutOfTime: boolean,
): SandboxEntryError | undefined {
  const message = describe(error);
  if (isolate.isDisposed) {
    return /memory limit/i.test(message)
      ? new SandboxEntryError('memory', message)
      : new SandboxEntryError('disposed', message);
  }
  if (ranOutOfTime && message === 'Script execution timed out.')
    return new SandboxEntryError('timeout', message);
  return undefined;
}
